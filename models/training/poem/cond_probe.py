#!/usr/bin/env python3
"""Does the trained model read its keyword prefix? Perplexity of the first 300 held-out poems (body tokens,
as `eval poems` counts them) with an empty prefix, with each poem's own 5 most frequent content words,
and with another poem's (the keywords go in the prefix and on the model's keyword input). Run from the
repository root after train.py (it reads the checkpoint given, by default the shipped model's):

    /usr/bin/python3 models/training/poem/cond_probe.py [checkpoint.pt]
"""
import math, os, random, sys
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T
torch.set_num_threads(1)
itos=[l.rstrip("\n") for l in open("models/poem-vocab.txt")]
index={t:i for i,t in enumerate(itos)}
ckpt=sys.argv[1] if len(sys.argv)>1 else ".data/poem/kw/poem-lstm.pt"
m=T.PoemLstm(len(itos),256,1,0.0,"adaptive"); m.load_state_dict(torch.load(ckpt)); m.eval()
import itertools
poems=[]
for pid,text in T.read_poems("../shared/data/poetry/poems.jsonl.gz"):
    if T.held_out(pid):
        toks=T.tokenize(text); body=toks[:160]
        poems.append((T.encode(body,index)+([T.EOS] if len(toks)<=160 else []), T.top_words(body,index)))
    if len(poems)>=300: break
def nll(kwf):
    tot=cnt=0
    with torch.no_grad():
        for body,top in poems:
            kw=kwf(top); s=T.sequence(body,kw); x=torch.tensor([s[:-1]]); h=torch.zeros(1,1,256)
            lp=m(x,T.keyword_tensor([kw]),h,h.clone())[0][0]; p=s.index(T.KW_END)
            y=torch.tensor(s[p+1:]); tot+=-lp[p:].gather(1,y[:,None]).sum().item(); cnt+=len(y)
    return tot/cnt
print("uncond ppl", math.exp(nll(lambda t: [])))
print("top5 kw ppl", math.exp(nll(lambda t: t[:5])))
rnd=random.Random(0); tops=[t for _,t in poems]
print("wrong-poem kw ppl", math.exp(nll(lambda t: rnd.choice(tops)[:5])))
