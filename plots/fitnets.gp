# fitnets.gp — figures of results/fitnets.json (experiment: experiments/fitnets.c)
# Three conditions per arm, in this order: its teacher (group teacher), its student with hints
# (group student-with-hints, labelled with the arm's title) and its student alone (group student-alone);
# x is the number of epochs a net is trained on the labels, so an arm's hint stage has x(alone) − x(hinted).
# One panel per arm.
load 'plots/common.gp'

NA = NCOND / 3
S = NSEEDS
T(a) = 3 * a + 1                  # arm a's teacher (1-based); its hinted student T(a) + 1, its student alone T(a) + 2
atitle(a) = COND_LABEL[T(a) + 1]
E(a) = int(COND_X[T(a) + 2])
H(a) = E(a) - int(COND_X[T(a) + 1])

# single numbers, read before any range is set (stats filters by the ranges); NaN when not measured
array TEACHER[NA]   # the teacher's mean test accuracy (test_acc row: i x mean std min max n)
array NHINTED[NA]   # how many seeds the hinted student's mean averages
array V0[NA]        # the first seed's first hint loss
do for [a=0:NA-1] {
    undefine STATS_*
    stats M('test_acc') every ::(T(a) - 1)::(T(a) - 1) u 3 nooutput
    TEACHER[a + 1] = exists('STATS_min') ? STATS_min : NaN
    undefine STATS_*
    stats M('test_acc') every ::T(a)::T(a) u 7 nooutput
    NHINTED[a + 1] = exists('STATS_min') ? int(STATS_min) : 0
    undefine STATS_*
    stats MS('hint_loss') index (T(a) * S) every ::0::0 u 2 nooutput
    V0[a + 1] = exists('STATS_min') ? STATS_min : NaN
}

call 'plots/figure.gp' 'accuracy' (wide(560*NA+60)) 520
set multiplot layout 1,NA title sprintf('Student with a hint, then labels, or labels alone: test accuracy (mean, with the lowest and highest seed, over %d seeds)', S)
set xlabel 'epoch (both students get the same total)'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right font ',9'
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    set xrange [0:E(a)+0.5]
    teacher = TEACHER[a + 1]
    set arrow 1 from H(a), graph 0 to H(a), graph 1 nohead dt 3 lc rgb '#888888'
    set label 1 'hint training ends' at H(a), graph 0.55 offset 0.5,0 tc rgb '#666666'
    # history.test_acc: one block per condition (index from 0), t mean std min max
    plot M('history.test_acc') index T(a) u ($1+H(a)):(100*$4):(100*$5) w filledcurves lc rgb C[1] notitle, \
         M('history.test_acc') index T(a) u ($1+H(a)):(100*$2) w lp ls 1 pt 7 title sprintf('student with hints (%d of %d seeds)', NHINTED[a + 1], S), \
         M('history.test_acc') index (T(a) + 1) u 1:(100*$4):(100*$5) w filledcurves lc rgb C[2] notitle, \
         M('history.test_acc') index (T(a) + 1) u 1:(100*$2) w lp ls 2 pt 7 title 'student alone', \
         teacher w l ls 7 dt 2 title 'teacher'
    unset arrow 1
    unset label 1
}
unset multiplot

call 'plots/figure.gp' 'hint' (wide(520*NA+60)) 460
set multiplot layout 1,NA title 'Stage 1: hint loss ½‖h_{teacher} − r(g_{student})‖² per epoch (each seed; a seed whose stage diverged stops)'
set xlabel 'hint epoch'
set ylabel 'hint loss'
set logscale y
set yrange [*:*]
set xtics 1
set key top right
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    set xrange [0.5:H(a)+0.5]
    # a one-epoch hint stage has a single point per seed: a y range around the first seed's
    v0 = V0[a + 1]
    if (H(a) < 2 && v0 > 0) { set yrange [v0/3:v0*3] } else { set yrange [*:*] }
    # hint_loss per cell: block (condition − 1)·S + seed index, t value
    plot for [r=0:S-1] MS('hint_loss') index (T(a) * S + r) u 1:2 w lp ls r+1 pt 7 title sprintf('seed %d', cfg_seed + r)
}
unset multiplot
