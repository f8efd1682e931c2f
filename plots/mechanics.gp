# mechanics.gp — figures of results/mechanics.json (experiment: experiments/mechanics.c)
# Conditions: one per check of the lectures' formulas (name the claim's id, group the formula's family, x its
# index); each seed's cell records 'value', the claim's quantity. A check whose two formulas coincide under the
# run's settings is not run (no value: n_value 0).
load 'plots/common.gp'

# the bars: every check measured as a ratio (all but the dropout rate and the layers' interaction), log10 of
# its mean over seeds (a mean of 0 drawn at -12), in the program's order
IDS = ''
N = 0
set print $CHECKS
do for [i=1:NCOND] {
    if (n_value[i] > 0 && COND_NAME[i] ne 'dropout-drops-p' && COND_NAME[i] ne 'layer-updates-interact') {
        print sprintf('%d %.17g', N, mean_value[i] > 0 ? log10(mean_value[i]) : -12)
        IDS = IDS . ' ' . COND_NAME[i]
        N = N + 1
    }
}
unset print

call 'plots/figure.gp' 'checks' 1150 600
set title sprintf("Checks of the implementation (identities): the library's distance from each lecture formula over its distance from a wrong one\n%d of the checks: max |library − formula| / max |library − alternative|, mean over %d seeds of a mini-batch of %d; held below 0.01\nmax pooling: share of the gradient off a window's maximum (0 drawn at -12); the dropout rate and the layers' interaction: see the table", \
    N, NSEEDS, cfg_batch) noenhanced
set xlabel 'log_{10} ratio  (more negative = closer to the lecture formula)'
set ytics () nomirror
do for [i=1:N] { set ytics add (word(IDS, i) i - 1) }
set yrange [-0.7:N - 0.3]
set xrange [-12.5:0.5]
set grid x
unset key
set arrow 1 from -2, graph 0 to -2, graph 1 nohead lc rgb C[2] lw 2 dt 2
set label 1 'held below this line' at -2, graph 1 offset 0.5,-1 tc rgb C[2]
plot $CHECKS u (($2 - 12.5) / 2):1:(-12.5):2:($1 - 0.35):($1 + 0.35) w boxxy fs solid 0.7 noborder lc rgb C[1]
unset arrow 1
unset label 1
