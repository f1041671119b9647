# SPDX-License-Identifier: GPL-3.0-or-later
import json,sys
a=json.load(open(sys.argv[1]))['recon_iteration_median_ms']; b=json.load(open(sys.argv[2]))['recon_iteration_median_ms']
for x,y in zip(a,b): print('%-10s'%x['unit'], 'b32 %4.0f->%4.0f floor %4.0f->%4.0f'%(x['batch32_ms'],y['batch32_ms'],x['floor_batch32_ms'],y['floor_batch32_ms']), 'b64 %4.0f->%4.0f floor %4.0f->%4.0f'%(x['batch64_ms'],y['batch64_ms'],x['floor_batch64_ms'],y['floor_batch64_ms']))
print('sum b32 %.0f -> %.0f'%(sum(x['batch32_ms'] for x in a), sum(x['batch32_ms'] for x in b)))
