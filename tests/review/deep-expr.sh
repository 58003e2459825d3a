#!/bin/sh
# deep-expr.sh N: one SELECT with N '+ 1' terms (finding F22: N=1020 "could not be parsed", N=70000 segfault)
python3 -c "import sys; n=int(sys.argv[1]); print('SELECT a' + ' + 1'*n + ' FROM (SELECT 1 a) x;')" "${1:-1020}"
