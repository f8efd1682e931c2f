# saturation.gp — figures of results/saturation.json (experiment: experiments/saturation.c)
# Conditions: group unit first (one per start × loss, deterministic: every seed's cell holds the same
# trajectory, these figures draw the first seed's), then init (one per σ, increasing; x σ, named by σ),
# network and rates, which these figures do not draw.
load 'plots/common.gp'

E = cfg_claim_epochs
NU = 0
do for [i = 1:NCOND] { if (COND_GROUP[i] eq 'unit') { NU = NU + 1 } }
t(i) = COND_LABEL[i]

# 1. loss and output over the epochs, one curve per unit
call 'plots/figure.gp' 'loss' 1100 450
set multiplot layout 1,2 title 'One sigmoid unit, x = 1, y = 0, gradient descent (η from the config)'
set xlabel 'epoch'
set ylabel 'loss C (nats for log-loss)'
set title 'Loss'
set arrow 1 from E, graph 0 to E, graph 1 nohead dt 2 lc rgb '#888888'
plot for [i=1:NU] MS('loss') index ((i - 1) * NSEEDS) u ($1 - 1):2 w l ls i title t(i)
set ylabel 'output a = σ(w + b)'
set title 'Output a (target y = 0)'
set yrange [0:1]
set key center right
plot for [i=1:NU] MS('a') index ((i - 1) * NSEEDS) u ($1 - 1):2 w l ls i title t(i)
unset multiplot
unset arrow 1
set yrange [*:*]

# 2. the gradient against the output: the σ'(z) factor (a and dC/dw are two series of one cell: a is read
# into an array by epoch, then drawn against dC/dw)
call 'plots/figure.gp' 'grad' 700 500
set title "|∂C/∂w| against the output a: quadratic loss carries σ'(z) = a(1 − a), log-loss does not"
set xlabel 'output a'
set ylabel '|∂C/∂w|'
set logscale y
set xrange [0:1]
set key bottom right
stats MS('a') index 0 u 1 nooutput
array AU[NU * int(STATS_max)]
NE = int(STATS_max)
do for [i = 1:NU] { stats MS('a') index ((i - 1) * NSEEDS) u (AU[(i - 1) * NE + int($1)] = $2) nooutput }
plot for [i=1:NU] MS('dCdw') index ((i - 1) * NSEEDS) u (AU[(i - 1) * NE + int($1)]):(abs($2)) w p pt 7 ps 0.4 lc rgb C[i] title t(i), \
     x**2*(1-x) w l dt 2 lc rgb '#444444' title 'a²(1 − a) (quadratic)', \
     x w l dt 3 lc rgb '#444444' title 'a (log-loss)'
unset logscale y
set xrange [*:*]

# 3. saturated first-layer units at initialization (mean ± std over seeds), each σ labelled by its name
call 'plots/figure.gp' 'init' 700 500
set title sprintf('Saturated sigmoid units (a < 0.01 or a > 0.99) in a first hidden layer of %d, at init', cfg_hidden)
set xlabel 'weight standard deviation σ (weights N(0, σ²), biases 0)'
set ylabel 'saturated fraction (mean ± std over seeds)'
set logscale x
set yrange [-0.02:1.02]
set key top left
init(i) = COND_GROUP[int(i) + 1] eq 'init'
plot M('raw') u (init($1) ? $2 : NaN):($3-$4):($3+$4) w filledcurves lc rgb C[1] notitle, \
     '' u (init($1) ? $2 : NaN):3 w lp ls 1 pt 7 title 'raw pixels in [0, 1]', \
     M('standardized') u (init($1) ? $2 : NaN):($3-$4):($3+$4) w filledcurves lc rgb C[2] notitle, \
     '' u (init($1) ? $2 : NaN):3 w lp ls 2 pt 5 title 'standardized pixels', \
     '' u (init($1) ? $2 : NaN):3:(COND_NAME[int($1) + 1]) w labels offset 0,1.2 font ',9' notitle
