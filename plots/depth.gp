# depth.gp — figures of results/depth.json (experiment: experiments/depth.c)
# Conditions: group the arm, x the number of hidden layers; label "<arm title>, depth <x>". Every arm runs
# the same depths, in the same order, so condition (v - 1)·ND + i + 1 is arm v's i-th depth.
load 'plots/common.gp'

NV = words(GROUPS)
ND = NCOND / NV
# arm v's title: the label of its first condition without ", depth <x>"
untail(k) = COND_LABEL[k][1:strlen(COND_LABEL[k]) - strlen(sprintf(', depth %d', int(COND_X[k])))]
vtitle(v) = untail((v - 1) * ND + 1)
NTRAIN = int(DATA_TRAIN)   # the training images (the config's n_train may be 0, all of them)
# the depths that ran, for the x axis
XMIN = COND_X[1]
XMAX = COND_X[1]
do for [k = 2:NCOND] {
    XMIN = COND_X[k] < XMIN ? COND_X[k] : XMIN
    XMAX = COND_X[k] > XMAX ? COND_X[k] : XMAX
}

# 1. test accuracy over epochs, one panel per arm, one curve per depth (mean ± std over seeds)
call 'plots/figure.gp' 'curves' (wide(400*NV+100)) 450
set multiplot layout 1,NV title sprintf('Test accuracy per epoch on %s (%d training images), mean ± std over %d seeds', cfg_data, NTRAIN, cfg_seeds)
set xlabel 'epoch'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right
do for [v=1:NV] {
    set title vtitle(v) noenhanced
    plot for [i=0:ND-1] M('history.test_acc') index ((v - 1) * ND + i) u 1:(100*($2-$3)):(100*($2+$3)) w filledcurves lc rgb C[i+1] notitle, \
         for [i=0:ND-1] M('history.test_acc') index ((v - 1) * ND + i) u 1:(100*$2) w lp ls i+1 pt 7 ps 0.5 \
             title sprintf('%d hidden', int(COND_X[(v - 1) * ND + i + 1]))
}
unset multiplot

# 2. final accuracy against depth, beside the lecture's table (a reference each cell recorded: lecture_acc)
call 'plots/figure.gp' 'final' 750 500
set title sprintf("Final test accuracy against depth (%d epochs), and the lecture's table (50,000 training images)", cfg_epochs)
set xlabel 'hidden layers of 30 units'
set ylabel 'test accuracy (%)'
set xrange [XMIN - 0.3:XMAX + 0.3]
set xtics 1
set yrange [*:100]
set autoscale ymin
set key top left
plot for [v=1:NV] M('test_acc') u (COND_GROUP[int($1) + 1] eq word(GROUPS, v) ? $2 : NaN):3:4 w yerrorlines ls v pt 7 title vtitle(v), \
     M('lecture_acc') u (COND_GROUP[int($1) + 1] eq word(GROUPS, 1) ? $2 : NaN):3 w p pt 6 ps 2 lc rgb '#000000' title 'lecture (Nielsen ch. 5)'
