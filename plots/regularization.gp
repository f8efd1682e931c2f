# regularization.gp — figures of results/regularization.json (experiment: experiments/regularization.c)
# One curve per arm (summary.arms).
load 'plots/common.gp'

NA = int(jval('summary.arms.#'))
S = int(jval('config.seeds'))
atitle(a) = jval(sprintf('summary.arms.%d.title', a))
cv(a) = jdata(sprintf('summary.arms.%d.train_acc.mean summary.arms.%d.test_acc.mean', a, a))

call 'plots/figure.gp' 'accuracy' 900 520
set title sprintf('%s training images, %d × %s hidden units: train (dashed) and test (solid) accuracy, mean over %d seeds (band: lowest to highest seed)', \
    jval('dataset.train'), words(jlist('config.hidden')), word(jlist('config.hidden'), 1), S) noenhanced
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set yrange [80:100.5]
set key bottom right
band(a) = jdata(sprintf('summary.arms.%d.test_acc.min summary.arms.%d.test_acc.max', a, a))
plot for [a=0:NA-1] band(a) u ($0+1):(100*$1):(100*$2) w filledcurves lc rgb C[a+1] fs transparent solid 0.12 notitle, \
     for [a=0:NA-1] cv(a) u ($0+1):(100*$2) w l ls a+1 title atitle(a), \
     for [a=0:NA-1] cv(a) u ($0+1):(100*$1) w l ls a+1 dt 2 notitle

call 'plots/figure.gp' 'gap' 700 480
set title sprintf('Overfitting: train minus test accuracy per epoch (mean over %d seeds)', S)
set ylabel 'gap (percentage points)'
set yrange [*:*]
set key top left
plot for [a=0:NA-1] cv(a) u ($0+1):(100*($1-$2)) w l ls a+1 title atitle(a)
