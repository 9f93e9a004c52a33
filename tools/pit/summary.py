#!/usr/bin/env python3
"""Mutation score per class from a PIT mutations.xml (complete or still being written), and the surviving and
uncovered mutants of the classes whose simple name starts with the second argument ("all" for every class).
    python3 tools/pit/summary.py target/pit-reports/io/mutations.xml [ClassPrefix|all]
Killed counts KILLED, TIMED_OUT, MEMORY_ERROR and RUN_ERROR, as PIT's own mutation score does."""
import sys, re, collections
s=open(sys.argv[1]).read()
c=collections.defaultdict(collections.Counter); surv=[]
for m in re.finditer(r'<mutation [^>]*status=.(\w+).[^>]*>(.*?)</mutation>', s, re.S):
    st=m.group(1); body=m.group(2)
    cls=re.search(r'<mutatedClass>(.*?)</mutatedClass>',body).group(1)
    top=cls.split('$')[0].split('.')[-1]
    c[top][st]+=1
    if st in ('SURVIVED','NO_COVERAGE') and len(sys.argv)>2:
        ln=re.search(r'<lineNumber>(.*?)</lineNumber>',body).group(1)
        meth=re.search(r'<mutatedMethod>(.*?)</mutatedMethod>',body).group(1)
        d=re.search(r'<description>(.*?)</description>',body).group(1)
        surv.append((cls.split('.')[-1],int(ln),meth,st,d))
T=collections.Counter()
for k,v in sorted(c.items()):
    n=sum(v.values()); k2=v['KILLED']+v['TIMED_OUT']+v['MEMORY_ERROR']+v['RUN_ERROR']
    T.update(v); print(f"{k:22s} {k2:5d}/{n:5d} {100*k2/n:5.1f}%  {dict(v)}")
n=sum(T.values()); k2=T['KILLED']+T['TIMED_OUT']+T['MEMORY_ERROR']+T['RUN_ERROR']
if n: print(f"{'TOTAL':22s} {k2:5d}/{n:5d} {100*k2/n:5.1f}%  {dict(T)}")
flt=sys.argv[2] if len(sys.argv)>2 else None
for x in sorted(surv):
    if flt=='all' or x[0].startswith(flt): print(*x, sep=' | ')
