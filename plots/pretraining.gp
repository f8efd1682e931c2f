# pretraining.gp — figures of results/pretraining.json (experiment: experiments/pretraining.c)
load 'plots/common.gp'

NA = int(jval('summary.arms.#'))
S = int(jval('config.seeds'))
atitle(a) = jval(sprintf('summary.arms.%d.title', a))
K(a) = int(jval(sprintf('summary.arms.%d.stage_test_acc.#', a)))

# 1. greedy stages, fine-tuning, scratch: one panel per arm
call 'plots/figure.gp' 'greedy' (wide(480*NA+80)) 500
set multiplot layout 1,NA title sprintf('(a) Greedy supervised pre-training against training from scratch for the same epochs (mean over %d seeds)', S)
set xlabel 'hidden layers trained so far (greedy stages), then fine-tuning'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set xtics 1
set key bottom right
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    set xrange [0.5:K(a)+1.5]
    scratch = real(jval(sprintf('summary.arms.%d.scratch_test_acc', a)))
    fine = real(jval(sprintf('summary.arms.%d.finetuned_test_acc', a)))
    plot jdata(sprintf('summary.arms.%d.stage_test_acc', a)) u ($0+1):1 w lp ls 1 pt 7 title 'greedy: after each stage', \
         '+' u (K(a)+1):(fine) every ::0::0 w p pt 5 ps 1.5 lc rgb C[1] title 'greedy: after fine-tuning all layers', \
         scratch w l ls 2 dt 2 title sprintf('from scratch, %s epochs', jval(sprintf('summary.arms.%d.total_epochs', a)))
}
unset multiplot
set xtics autofreq
set xrange [*:*]

# 2. transfer: test accuracy per epoch on the few target labels, mean ± std over seeds
call 'plots/figure.gp' 'transfer' 760 500
set title sprintf('(b) %s classes 5-9 with %s labels per class: first layers transferred vs scratch, mean ± std over %d seeds', \
    jval('summary.transfer_dataset.name'), jval('config.target_per_class'), S)
set xlabel 'epoch on the target task'
set key bottom right
set autoscale y
cv(k) = jdata(sprintf('summary.transfer.%s_curve.mean summary.transfer.%s_curve.std', k, k))
K2(i) = i == 0 ? 'transferred' : 'scratch'
plot for [i=0:1] cv(K2(i)) u ($0+1):(100*($1-$2)):(100*($1+$2)) w filledcurves lc rgb C[i+1] notitle, \
     for [i=0:1] cv(K2(i)) u ($0+1):(100*$1) w l ls i+1 title (i == 0 ? sprintf('transferred (%s)', jval('summary.transfer.copied')) : 'from scratch')
