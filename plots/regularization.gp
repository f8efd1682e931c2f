# regularization.gp — figures of results/regularization.json (experiment: experiments/regularization.c)
# One curve per condition (the config's arms, labelled with their regularization), from the cells'
# training records (history.train_acc, history.test_acc: per epoch, mean, lowest and highest over seeds).
load 'plots/common.gp'

S = NSEEDS
# the gap needs the training accuracy beside the test accuracy: per condition and epoch, the mean
# training accuracy in TR (read before any range is set: stats filters by the ranges)
stats M('history.train_acc') u 0 nooutput
LEN = int(STATS_max) + 1
array TR[NCOND * LEN]
do for [i=1:NCOND] {
    stats M('history.train_acc') index (i - 1) u (TR[(i - 1) * LEN + int($0) + 1] = $2, 0) nooutput
}
tr(i, t) = TR[(i - 1) * LEN + int(t) + 1]

call 'plots/figure.gp' 'accuracy' 900 520
set title sprintf('%d training images, %d × %s hidden units: train (dashed) and test (solid) accuracy, mean over %d seeds (band: lowest to highest seed)', \
    int(DATA_TRAIN), words(cfg_hidden), word(cfg_hidden, 1), S) noenhanced
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set yrange [80:100.5]
set key bottom right
plot for [i=1:NCOND] M('history.test_acc') index (i - 1) u ($0+1):(100*$4):(100*$5) w filledcurves lc rgb C[i] fs transparent solid 0.12 notitle, \
     for [i=1:NCOND] M('history.test_acc') index (i - 1) u ($0+1):(100*$2) w l ls i title COND_LABEL[i], \
     for [i=1:NCOND] M('history.train_acc') index (i - 1) u ($0+1):(100*$2) w l ls i dt 2 notitle

call 'plots/figure.gp' 'gap' 700 480
set title sprintf('Overfitting: train minus test accuracy per epoch (mean over %d seeds)', S)
set ylabel 'gap (percentage points)'
set yrange [*:*]
set key top left
plot for [i=1:NCOND] M('history.test_acc') index (i - 1) u ($0+1):(100*(tr(i, $0)-$2)) w l ls i title COND_LABEL[i]
