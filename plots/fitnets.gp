# fitnets.gp — figures of results/fitnets.json (experiment: experiments/fitnets.c)
load 'plots/common.gp'

H = int(jval('summary.hint_epochs'))
E = int(jval('config.epochs'))

call 'plots/figure.gp' 'accuracy' 760 500
set title sprintf('Student %d × %s: with a hint on layer %s for %d epochs, then labels; or labels alone (mean ± std over %s seeds)', \
    words(jlist('config.hidden')), word(jlist('config.hidden'), 1), jval('config.guided'), H, jval('config.seeds'))
set xlabel 'epoch (both students get the same total)'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set xrange [0:E+0.5]
set key bottom right
teacher = real(jval('summary.teacher_test_acc'))
set arrow 1 from H, graph 0 to H, graph 1 nohead dt 3 lc rgb '#888888'
set label 1 'hint training ends' at H, graph 0.85 offset 0.5,0 tc rgb '#666666'
plot jdata('summary.curves.hinted.mean summary.curves.hinted.std') u ($0+1+H):(100*($1-$2)):(100*($1+$2)) w filledcurves lc rgb C[1] notitle, \
     '' u ($0+1+H):(100*$1) w lp ls 1 pt 7 title 'student with hints', \
     jdata('summary.curves.alone.mean summary.curves.alone.std') u ($0+1):(100*($1-$2)):(100*($1+$2)) w filledcurves lc rgb C[2] notitle, \
     '' u ($0+1):(100*$1) w lp ls 2 pt 7 title 'student alone', \
     teacher w l ls 7 dt 2 title 'teacher'
unset arrow 1
unset label 1

call 'plots/figure.gp' 'hint' 700 460
set title 'Stage 1: hint loss ½‖h_{teacher} − r(g_{student})‖² per epoch (each seed)'
set xlabel 'hint epoch'
set ylabel 'hint loss'
set yrange [*:*]
set xrange [*:*]
set autoscale x
set key top right
S = int(jval('config.seeds'))
plot for [r=0:S-1] jdata(sprintf('summary.hint_loss.%d', r)) u ($0+1):1 w lp ls r+1 pt 7 title sprintf('seed %d', r+1)
