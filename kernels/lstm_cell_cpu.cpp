// LSTM cell loops (see lstm_cell_cpu.h). Within a row every loop runs over the H contiguous units
// with no calls and no branches, so the compiler vectorises it; built once per instruction set
// (core/target_clones.h).
#include "kernels/lstm_cell_cpu.h"

#include <cmath>

#include "core/target_clones.h"
#include "kernels/exp_approx.h"

namespace statetrack::kernels {
namespace {

inline float tanh_of(float x) { return 2.0f * sigmoid(2.0f * x) - 1.0f; }
inline double tanh_of(double x) { return std::tanh(x); }

}  // namespace

template <typename T>
STATETRACK_TARGET_CLONES void lstm_cell_forward_cpu(const LstmCellForwardArgs<T>& a) {
    const int64_t H = a.H;
    for (int64_t b = 0; b < a.B; ++b) {
        const T* gx = a.gx + b * a.gx_row;
        const T* rec = a.rec + b * 4 * H;
        const T* cp = a.c_prev + b * a.c_prev_row;
        T* act = a.act + b * a.act_row;
        T* c = a.c + b * a.state_row;
        T* h = a.h + b * a.state_row;
#pragma GCC ivdep
        for (int64_t u = 0; u < H; ++u) {
            const T i = sigmoid(gx[u] + rec[u] + a.bias[u]);
            const T f = sigmoid(gx[H + u] + rec[H + u] + a.bias[H + u]);
            const T g = tanh_of(gx[2 * H + u] + rec[2 * H + u] + a.bias[2 * H + u]);
            const T o = sigmoid(gx[3 * H + u] + rec[3 * H + u] + a.bias[3 * H + u]);
            const T cu = f * cp[u] + i * g;
            act[u] = i, act[H + u] = f, act[2 * H + u] = g, act[3 * H + u] = o;
            c[u] = cu;
            h[u] = o * tanh_of(cu);
        }
    }
}

template <typename T>
STATETRACK_TARGET_CLONES void lstm_cell_backward_cpu(const LstmCellBackwardArgs<T>& a) {
    const int64_t H = a.H;
    for (int64_t b = 0; b < a.B; ++b) {
        const T* act = a.act + b * a.act_row;
        T* dp = a.dp + b * a.act_row;
        const T* c = a.c + b * a.state_row;
        const T* dy = a.dy + b * a.state_row;
        const T* cp = a.c_prev + b * a.c_prev_row;
        const T* dh_rec = a.dh_rec + b * H;
        T* dcn = a.dc_next + b * H;
#pragma GCC ivdep
        for (int64_t u = 0; u < H; ++u) {
            const T i = act[u], f = act[H + u], g = act[2 * H + u], o = act[3 * H + u];
            const T tc = tanh_of(c[u]);
            const T dh = dy[u] + dh_rec[u];
            const T dc = dh * o * (T(1) - tc * tc) + dcn[u];
            dp[u] = dc * g * i * (T(1) - i);
            dp[H + u] = dc * cp[u] * f * (T(1) - f);
            dp[2 * H + u] = dc * i * (T(1) - g * g);
            dp[3 * H + u] = dh * tc * o * (T(1) - o);
            dcn[u] = dc * f;
        }
    }
}

template void lstm_cell_forward_cpu<float>(const LstmCellForwardArgs<float>&);
template void lstm_cell_forward_cpu<double>(const LstmCellForwardArgs<double>&);
template void lstm_cell_backward_cpu<float>(const LstmCellBackwardArgs<float>&);
template void lstm_cell_backward_cpu<double>(const LstmCellBackwardArgs<double>&);

}  // namespace statetrack::kernels
