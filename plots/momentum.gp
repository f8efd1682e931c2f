# momentum.gp — figures of results/momentum.json (experiment: experiments/momentum.c)
load 'plots/common.gp'

kappa = real(jval('summary.quadratic.kappa'))
NQ = words(jlist('summary.quadratic.runs'))   # 4 methods at ε, then 4 at ε*
qr(i, key) = sprintf('summary.quadratic.runs.%d.%s', i, key)
qt(i) = sprintf('%s (%s)', jval(qr(i, 'method')), jval(qr(i, 'diverged')) eq '1' ? 'diverged' : jval(qr(i, 'steps_to_tol')).' steps')

# 1. trajectories over the contours of f = ½(x² + κy²): small multiples, one panel per method
#    (columns) and rate (rows), so no panel holds more than one path
call 'plots/figure.gp' 'quadratic' 1400 760
set multiplot layout 2,4 title sprintf("f(x, y) = ½(x² + %g y²) from (%s, %s): the first %s steps of each method; row 1 at ε = %s, row 2 at plain descent's best rate ε* = 2/(1 + κ) = %.4f", \
    kappa, jval('config.x0'), jval('config.y0'), jval('config.traj_steps'), jval(qr(0, 'eps')), real(jval(qr(4, 'eps')))) noenhanced
set parametric
set trange [0:2*pi]
set xrange [-1.2:1.2]
set yrange [-1.2:1.2]
set size ratio -1
set xlabel 'x'
set ylabel 'y'
unset key
do for [k=0:1] {
    do for [m=0:3] {
        set title sprintf('%s, %s: %s', jval(qr(4*k+m, 'method')), k == 0 ? 'ε' : 'ε*', \
            jval(qr(4*k+m, 'diverged')) eq '1' ? 'diverged' : jval(qr(4*k+m, 'steps_to_tol')) eq 'NaN' ? 'not within max_steps' : jval(qr(4*k+m, 'steps_to_tol')).' steps to f < '.jval('config.tol')) noenhanced
        plot for [c in "0.001 0.01 0.05 0.2 0.5 1"] sqrt(2*c)*cos(t), sqrt(2*c/kappa)*sin(t) w l lc rgb '#cccccc' notitle, \
             jdata(sprintf('%s %s', qr(4*k+m, 'x'), qr(4*k+m, 'y'))) u 1:2 w lp ls m+1 pt 7 ps 0.3 notitle
    }
}
unset multiplot
unset parametric
set size noratio
set xrange [*:*]
set yrange [*:*]
set key default
set key box opaque noenhanced

# 2. f against the step, log scale; a diverging run leaves the panel at the top (clipped)
call 'plots/figure.gp' 'descent' 1100 500
set multiplot layout 1,2 title "f(x_t, y_t) against the step (a run that diverges leaves through the top)" noenhanced
set xlabel 'step t'
set ylabel 'f'
set logscale y
set yrange [1e-12:1e2]
set format y '10^{%L}'
set key bottom left
do for [k=0:1] {
    set title k == 0 ? sprintf('ε = %s', jval(qr(0, 'eps'))) : sprintf('ε* = %.4f', real(jval(qr(4, 'eps'))))
    plot for [m=0:3] jdata(qr(4*k+m, 'f')) u 0:1 w l ls m+1 title qt(4*k+m)
}
unset multiplot
unset logscale y
set yrange [*:*]
set format y '% g'

# 3. the MLP: training loss per epoch; dashed = plain SGD at the effective rate ε/(1 − α)
NM = words(jlist('summary.mlp'))
call 'plots/figure.gp' 'mlp' 760 520
set title sprintf('%s, mini-batch %s, ε = %s: training loss (mean over %s seeds); dashed: plain SGD at ε/(1 − α)', jval('dataset.name'), jval('config.batch'), jval('config.lr'), jval('config.seeds'))
set xlabel 'epoch'
set ylabel 'training loss (cross-entropy)'
set key inside top right vertical maxcols 1
ml(i, key) = sprintf('summary.mlp.%d.%s', i, key)
col(i) = 1 + int(floor((i + 1) / 2))
fair(i) = jval(ml(i, 'effective_rate_control')) eq '1'
plot for [i=0:NM-1] jdata(ml(i, 'train_loss.mean')) u ($0+1):(fair(i) ? NaN : $1) w lp lc rgb C[col(i)] lw 2 pt 7 ps 0.5 title (fair(i) ? '' : jval(ml(i, 'label'))), \
     for [i=0:NM-1] jdata(ml(i, 'train_loss.mean')) u ($0+1):(fair(i) ? $1 : NaN) w lp lc rgb C[col(i)] lw 2 dt 2 pt 6 ps 0.5 title (fair(i) ? jval(ml(i, 'label')) : '')
