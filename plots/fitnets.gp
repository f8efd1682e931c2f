# fitnets.gp — figures of results/fitnets.json (experiment: experiments/fitnets.c)
# One panel per arm (summary.arms).
load 'plots/common.gp'

NA = int(jval('summary.arms.#'))
S = int(jval('config.seeds'))
atitle(a) = jval(sprintf('summary.arms.%d.title', a))
H(a) = int(jval(sprintf('summary.arms.%d.hint_epochs', a)))
E(a) = int(jval(sprintf('summary.arms.%d.epochs', a)))

call 'plots/figure.gp' 'accuracy' (wide(560*NA+60)) 520
set multiplot layout 1,NA title sprintf('Student with a hint, then labels, or labels alone: test accuracy (mean, with the lowest and highest seed, over %d seeds)', S)
set xlabel 'epoch (both students get the same total)'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right font ',9'
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    set xrange [0:E(a)+0.5]
    teacher = real(jval(sprintf('summary.arms.%d.teacher_test_acc', a)))
    set arrow 1 from H(a), graph 0 to H(a), graph 1 nohead dt 3 lc rgb '#888888'
    set label 1 'hint training ends' at H(a), graph 0.55 offset 0.5,0 tc rgb '#666666'
    plot jdata(sprintf('summary.arms.%d.hinted.min summary.arms.%d.hinted.max', a, a)) u ($0+1+H(a)):(100*$1):(100*$2) w filledcurves lc rgb C[1] notitle, \
         jdata(sprintf('summary.arms.%d.hinted.mean', a)) u ($0+1+H(a)):(100*$1) w lp ls 1 pt 7 title sprintf('student with hints (%s of %d seeds)', jval(sprintf('summary.arms.%d.hinted_seeds_averaged', a)), S), \
         jdata(sprintf('summary.arms.%d.alone.min summary.arms.%d.alone.max', a, a)) u ($0+1):(100*$1):(100*$2) w filledcurves lc rgb C[2] notitle, \
         jdata(sprintf('summary.arms.%d.alone.mean', a)) u ($0+1):(100*$1) w lp ls 2 pt 7 title 'student alone', \
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
S0 = int(jval('config.seed'))
do for [a=0:NA-1] {
    set title atitle(a) noenhanced
    set xrange [0.5:H(a)+0.5]
    # a one-epoch hint stage has a single point per seed: a y range around the first seed's
    v0 = real(jval(sprintf('summary.arms.%d.hint_loss.0.0', a)))
    if (H(a) < 2 && v0 > 0) { set yrange [v0/3:v0*3] } else { set yrange [*:*] }
    plot for [r=0:S-1] jdata(sprintf('summary.arms.%d.hint_loss.%d', a, r)) u ($0+1):1 w lp ls r+1 pt 7 title sprintf('seed %d', S0 + r)
}
unset multiplot
