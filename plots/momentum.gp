# momentum.gp — figures of results/momentum.json (experiment: experiments/momentum.c)
# Conditions 1–8: the quadratic, plain descent, momentum 0.5, momentum 0.9 and Nesterov 0.9 (the group is the
# method, x the rate) at ε, then the same at ε*; then alpha_grid (not drawn here); then the MLP: plain SGD, and per
# α > 0 plain SGD at ε/(1 − α) (group sgd-effective-rate) just before momentum α (group momentum).
load 'plots/common.gp'

# the quadratic is deterministic: every seed records the same trajectory, so the figures draw the first seed's
blk(i) = (i - 1) * NSEEDS
steps(i) = mean_diverged[i] > 0 ? 'diverged' : n_steps_to_tol[i] == 0 ? 'not within max_steps' : sprintf('%.10g', mean_steps_to_tol[i])
qt(i) = sprintf('%s (%s)', COND_GROUP[i], steps(i) . (mean_diverged[i] > 0 || n_steps_to_tol[i] == 0 ? '' : ' steps'))

# 1. trajectories over the contours of f = ½(x² + κy²): small multiples, one panel per method
#    (columns) and rate (rows), so no panel holds more than one path; TY holds each path's y by step
#    (condition i's step t at TY[(i − 1)·L + t]), to pair with its x
L = cfg_traj_steps + 1
array TY[8 * L]
do for [j=1:|TY|] { TY[j] = NaN }
do for [i=1:8] { stats MS('y') index blk(i) u (TY[(i - 1) * L + int($1)] = $2, 0) nooutput }
call 'plots/figure.gp' 'quadratic' 1400 760
set multiplot layout 2,4 title sprintf("f(x, y) = ½(x² + %g y²) from (%.10g, %.10g): the first %d steps of each method; row 1 at ε = %.10g, row 2 at plain descent's best rate ε* = 2/(1 + κ) = %.4f", \
    cfg_kappa, cfg_x0, cfg_y0, cfg_traj_steps, COND_X[1], COND_X[5]) noenhanced
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
        i = 4*k + m + 1
        set title sprintf('%s, %s: %s', COND_GROUP[i], k == 0 ? 'ε' : 'ε*', \
            mean_diverged[i] > 0 || n_steps_to_tol[i] == 0 ? steps(i) : steps(i).' steps to f < '.sprintf('%.10g', cfg_tol)) noenhanced
        plot for [c in "0.001 0.01 0.05 0.2 0.5 1"] sqrt(2*c)*cos(t), sqrt(2*c/real(cfg_kappa))*sin(t) w l lc rgb '#cccccc' notitle, \
             MS('x') index blk(i) u 2:(TY[(i - 1) * L + int($1)]) w lp ls m+1 pt 7 ps 0.3 notitle
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
    set title k == 0 ? sprintf('ε = %.10g', COND_X[1]) : sprintf('ε* = %.4f', COND_X[5])
    plot for [m=0:3] MS('f') index blk(4*k + m + 1) u ($1 - 1):2 w l ls m+1 title qt(4*k + m + 1)
}
unset multiplot
unset logscale y
set yrange [*:*]
set format y '% g'

# 3. the MLP: training loss per epoch; dashed = plain SGD at the effective rate ε/(1 − α), in its momentum run's colour
MLP0 = 0
R = 0
array COL[NCOND]
do for [i=1:NCOND] {
    if (MLP0 == 0 && (COND_GROUP[i] eq 'momentum' || COND_GROUP[i] eq 'sgd-effective-rate')) { MLP0 = i }
    if (COND_GROUP[i] eq 'momentum') { R = R + 1 }
    COL[i] = R + (COND_GROUP[i] eq 'sgd-effective-rate')   # an SGD run comes just before its momentum run
}
fair(i) = COND_GROUP[i] eq 'sgd-effective-rate'
call 'plots/figure.gp' 'mlp' 760 520
set title sprintf('%s, mini-batch %d, ε = %.10g: training loss (mean over %d seeds); dashed: plain SGD at ε/(1 − α)', cfg_data, cfg_batch, cfg_lr, NSEEDS)
set xlabel 'epoch'
set ylabel 'training loss (cross-entropy)'
set key inside top right vertical maxcols 1
plot for [i=MLP0:NCOND] M('history.train_loss') index (i - 1) u 1:(fair(i) ? NaN : $2) w lp lc rgb C[COL[i]] lw 2 pt 7 ps 0.5 title (fair(i) ? '' : COND_NAME[i]), \
     for [i=MLP0:NCOND] M('history.train_loss') index (i - 1) u 1:(fair(i) ? $2 : NaN) w lp lc rgb C[COL[i]] lw 2 dt 2 pt 6 ps 0.5 title (fair(i) ? COND_NAME[i] : '')
