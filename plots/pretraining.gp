# pretraining.gp — figures of results/pretraining.json (experiment: experiments/pretraining.c)
load 'plots/common.gp'

K = words(jlist('config.hidden'))
NR = words(jlist('runs'))
S = int(jval('config.seeds'))

# 1. greedy stages, fine-tuning, scratch
call 'plots/figure.gp' 'greedy' 760 500
set title sprintf('(a) Greedy supervised pre-training of %d sigmoid layers (%s epochs per stage) vs scratch, mean over %d seeds', K, jval('config.stage_epochs'), S)
set xlabel 'hidden layers trained so far (greedy stages), then fine-tuning'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set xrange [0.5:K+1.5]
set xtics 1
set key bottom right
scratch = real(jval('summary.greedy.scratch_test_acc'))
fine = real(jval('summary.greedy.finetuned_test_acc'))
plot jdata('summary.greedy.stage_test_acc') u ($0+1):1 w lp ls 1 pt 7 title 'greedy: after each stage', \
     '+' u (K+1):(fine) every ::0::0 w p pt 5 ps 1.5 lc rgb C[1] title 'greedy: after fine-tuning all layers', \
     scratch w l ls 2 dt 2 title sprintf('from scratch, %s epochs', jval('summary.greedy.total_epochs'))
set xtics autofreq
set xrange [*:*]

# 2. transfer: test accuracy per epoch on the few target labels
call 'plots/figure.gp' 'transfer' 760 500
set title sprintf('(b) %s classes 5-9 with %s labels per class: transferred hidden layers vs scratch (each seed)', \
    jval('summary.transfer_dataset.name'), jval('config.target_per_class'))
set xlabel 'epoch on the target task'
set key bottom right
# runs: per seed the K greedy stages, the fine-tuning and scratch, then per seed source, transferred, target-scratch
B0 = S * (K + 2)
tr(r) = B0 + 3 * r + 1
sc(r) = B0 + 3 * r + 2
plot for [r=0:S-1] jdata(sprintf('runs.%d.history.epoch runs.%d.history.test_acc', tr(r), tr(r))) u 1:(100*$2) w l ls 1 title (r == 0 ? 'transferred hidden layers' : ''), \
     for [r=0:S-1] jdata(sprintf('runs.%d.history.epoch runs.%d.history.test_acc', sc(r), sc(r))) u 1:(100*$2) w l ls 2 title (r == 0 ? 'from scratch' : '')
