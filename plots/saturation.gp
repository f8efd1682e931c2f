# saturation.gp — figures of results/saturation.json (experiment: experiments/saturation.c)
load 'plots/common.gp'

E = int(jval('summary.claim_epochs'))
r(i, key) = jdata(sprintf('runs.%d.series.epoch runs.%d.series.%s', i, i, key))
t(i) = sprintf('%s, (w,b) = (%s, %s)', jval(sprintf('runs.%d.loss', i)), jval(sprintf('runs.%d.w0', i)), jval(sprintf('runs.%d.b0', i)))

# 1. loss and output over the epochs, four runs
call 'plots/figure.gp' 'loss' 1100 450
set multiplot layout 1,2 title 'One sigmoid unit, x = 1, y = 0, gradient descent (η from the config)'
set xlabel 'epoch'
set ylabel 'loss C (nats for log-loss)'
set title 'Loss'
set arrow 1 from E, graph 0 to E, graph 1 nohead dt 2 lc rgb '#888888'
plot for [i=0:3] r(i, 'loss') u 1:2 w l ls i+1 title t(i)
set ylabel 'output a = σ(w + b)'
set title 'Output a (target y = 0)'
set yrange [0:1]
set key center right
plot for [i=0:3] r(i, 'a') u 1:2 w l ls i+1 title t(i)
unset multiplot
unset arrow 1
set yrange [*:*]

# 2. the gradient against the output: the σ'(z) factor
call 'plots/figure.gp' 'grad' 700 500
set title "|∂C/∂w| against the output a: quadratic loss carries σ'(z) = a(1 − a), log-loss does not"
set xlabel 'output a'
set ylabel '|∂C/∂w|'
set logscale y
set xrange [0:1]
set key bottom right
plot for [i=0:3] jdata(sprintf('runs.%d.series.a runs.%d.series.dCdw', i, i)) u 1:(abs($2)) w p pt 7 ps 0.4 lc rgb C[i+1] title t(i), \
     x**2*(1-x) w l dt 2 lc rgb '#444444' title 'a²(1 − a) (quadratic)', \
     x w l dt 3 lc rgb '#444444' title 'a (log-loss)'
unset logscale y
set xrange [*:*]

# 3. saturated first-layer units at initialization
call 'plots/figure.gp' 'init' 700 500
set title sprintf('Saturated sigmoid units (a < 0.01 or a > 0.99) in a first hidden layer of %s, at init', jval('summary.saturation_at_init.hidden'))
set xlabel 'weight standard deviation σ (weights N(0, σ²), biases 0)'
set ylabel 'saturated fraction (mean ± std over seeds)'
set logscale x
set yrange [-0.02:1.02]
set key top left
S = 'summary.saturation_at_init'
plot jdata(sprintf('%s.sigma %s.raw %s.raw_std', S, S, S)) u 1:($2-$3):($2+$3) w filledcurves lc rgb C[1] notitle, \
     '' u 1:2 w lp ls 1 pt 7 title 'raw pixels in [0, 1]', \
     jdata(sprintf('%s.sigma %s.standardized %s.standardized_std', S, S, S)) u 1:($2-$3):($2+$3) w filledcurves lc rgb C[2] notitle, \
     '' u 1:2 w lp ls 2 pt 5 title 'standardized pixels', \
     jdata(sprintf('%s.sigma %s.sigma_name %s.standardized', S, S, S)) u 1:3:2 w labels offset 0,1.2 font ',9' notitle
