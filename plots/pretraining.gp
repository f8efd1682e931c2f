# pretraining.gp — figures of results/pretraining.json (experiment: experiments/pretraining.c)
# Conditions, each measuring test_acc (%): per arm, in order, its greedy stages (group greedy), the control
# (top-only), the fine-tuned net (finetune) and the net from scratch (scratch: labelled "<arm's title>, from
# scratch", x the epochs every net of the arm ends with); then part (b), group transfer: source, transferred
# (labelled "transferred <the layers it received>") and target-scratch.
load 'plots/common.gp'

S = NSEEDS
# arm a (1-based): its conditions run from F(a) to SCR[a] (1-based), its greedy stages F(a) … F(a) + K(a) − 1
NA = 0
do for [i=1:NCOND] { if (COND_GROUP[i] eq 'scratch') { NA = NA + 1 } }
array SCR[NA]
a = 0
do for [i=1:NCOND] { if (COND_GROUP[i] eq 'scratch') { a = a + 1; SCR[a] = i } }
F(a) = a == 1 ? 1 : SCR[a - 1] + 1
K(a) = SCR[a] - F(a) - 2
atitle(a) = COND_LABEL[SCR[a]][1:strlen(COND_LABEL[SCR[a]]) - strlen(', from scratch')]

# 1. greedy stages, fine-tuning, scratch: one panel per arm
call 'plots/figure.gp' 'greedy' (wide(480*NA+80)) 500
set multiplot layout 1,NA title sprintf('(a) Greedy supervised pre-training against training from scratch for the same epochs (mean over %d seeds)', S)
set xlabel 'hidden layers trained so far (greedy stages), then fine-tuning'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set xtics 1
set key bottom right
do for [a=1:NA] {
    set title atitle(a) noenhanced
    set xrange [0.5:K(a)+1.5]
    scratch = mean_test_acc[SCR[a]]
    fine = mean_test_acc[SCR[a] - 1]
    # test_acc: one row per condition, i (from 0) x mean std min max n
    plot M('test_acc') every ::(F(a) - 1)::(F(a) + K(a) - 2) u ($1 - F(a) + 2):3 w lp ls 1 pt 7 title 'greedy: after each stage', \
         '+' u (K(a)+1):(fine) every ::0::0 w p pt 5 ps 1.5 lc rgb C[1] title 'greedy: after fine-tuning all layers', \
         scratch w l ls 2 dt 2 title sprintf('from scratch, %d epochs', int(COND_X[SCR[a]]))
}
unset multiplot
set xtics autofreq
set xrange [*:*]

# 2. transfer: test accuracy per epoch on the few target labels, mean ± std over seeds
call 'plots/figure.gp' 'transfer' 760 500
set title sprintf('(b) %s classes 5-9 with %d labels per class: first layers transferred vs scratch, mean ± std over %d seeds', \
    cfg_transfer_data, cfg_target_per_class, S)
set xlabel 'epoch on the target task'
set key bottom right
set autoscale y
TR = NCOND - 2   # the transferred net's condition (from 0), target-scratch's the next
copied = COND_LABEL[TR + 1][strlen('transferred ') + 1:]
# history.test_acc: one block per condition, t mean std min max n
plot for [i=0:1] M('history.test_acc') index (TR + i) u 1:(100*($2-$3)):(100*($2+$3)) w filledcurves lc rgb C[i+1] notitle, \
     for [i=0:1] M('history.test_acc') index (TR + i) u 1:(100*$2) w l ls i+1 title (i == 0 ? sprintf('transferred (%s)', copied) : 'from scratch')
