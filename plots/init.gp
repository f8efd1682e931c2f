# init.gp — figures of results/init.json (experiment: experiments/init.c)
# Conditions: first the deep nets, activation-major (group the activation, x the scheme's index in
# config.schemes), then the further lessons (groups bias, output_bias, symmetry, optgen), not drawn here.
load 'plots/common.gp'

acts = cfg_activations
NA = words(acts)
schemes = cfg_schemes
NS = words(schemes)
K = words(cfg_hidden)
cond(a, i) = (a - 1) * NS + i   # the deep net of activation a (1-based) and scheme i (0-based): its index

# 1 and 2. forward and backward signal per layer at init: small multiples, one row per
#    activation and one column per group of three schemes (a scheme keeps its colour everywhere)
G = int(ceil(NS / 3.0))
do for [q=1:2] {
    key = q == 1 ? 'act_std' : 'grad_std'
    call 'plots/figure.gp' (q == 1 ? 'act-std' : 'grad-std') (wide(420*G+80)) (300*NA+90)
    set multiplot layout NA,G title sprintf('%s per hidden layer l at initialization (x axis: l = 1 … %d, next to the input first), %s units per layer, mean over %d seeds', \
        q == 1 ? 'Activation std (forward signal)' : 'Std of ∂C/∂a_l (backward signal)', K, word(cfg_hidden, 1), NSEEDS) noenhanced
    unset xlabel
    set ylabel q == 1 ? 'std of a_l' : 'std of ∂C/∂a_l' noenhanced
    set logscale y
    set format y '10^{%L}'
    set xrange [0.8:K+0.2]
    set xtics 1
    set key below horizontal maxrows 1 font ',8' noenhanced samplen 2
    do for [a=1:NA] {
        A = word(acts, a)
        do for [g=0:G-1] {
            set title sprintf('%s: %s', A, g*3+3 <= NS ? sprintf('%s, %s, %s', word(schemes, g*3+1), word(schemes, g*3+2), word(schemes, g*3+3)) : word(schemes, g*3+1)) noenhanced
            # a scheme whose std is exactly 0 at every layer (zero init) cannot be drawn on a log scale: its legend says so
            array Z[3]
            do for [i=g*3:g*3+2] {
                if (i < NS) {
                    stats M(key) index cond(a, i) u 2 nooutput
                    Z[i-g*3+1] = STATS_max <= 0
                }
            }
            plot for [i=g*3:(g*3+2 < NS ? g*3+2 : NS-1)] M(key) index cond(a, i) \
                 u 1:($2 > 0 ? $2 : NaN) w lp lc rgb C[i%9+1] lw 2 pt (i%7+4) ps 0.6 \
                 title (Z[i-g*3+1] ? word(schemes, i+1).' (0 everywhere: not drawn)' : word(schemes, i+1))
        }
    }
    unset multiplot
}
unset logscale y
set format y '% g'
set xtics autofreq

# 3. test accuracy after training, per scheme and activation
call 'plots/figure.gp' 'accuracy' 1000 500
OPT = cfg_optimizer eq 'sgd' ? 'SGD' : cfg_optimizer
set title sprintf('Test accuracy after %d epochs of %s (η = %g), mean ± std over %d seeds', cfg_epochs, OPT, cfg_lr, NSEEDS)
set ylabel 'test accuracy (%)'
set xlabel ''
set yrange [0:100]
set xrange [-0.6:NS-0.4]
set key outside right top vertical
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -30 left noenhanced
# a run that diverged has no accuracy (NaN): say so where its bar would be
bar(a) = (a - 1 - (NA - 1) / 2.0) / (NA + 1.0)
plot for [a=1:NA] M('test_acc') every ::cond(a, 0)::cond(a, NS - 1) u 3:4:xtic(word(schemes, int($2) + 1)) lc rgb C[a] title word(acts, a), \
     for [a=1:NA] M('test_acc') every ::cond(a, 0)::cond(a, NS - 1) \
     u ($2 + bar(a)):(2):(strcol(3) eq 'NaN' ? 'diverged' : '') w labels rotate by 90 left font ',8' tc rgb C[a] notitle
