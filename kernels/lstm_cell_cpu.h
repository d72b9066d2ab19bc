// The pointwise part of one LSTM time step for a batch of rows, as raw loops (torch-free;
// model/lstm_layer.h is the differentiable layer around them, with the products between steps).
// Gate order i, f, g, o, as torch::nn::LSTM stores them. For each row b and unit u < H:
//   forward:  p = gx[b] + rec[b] + bias   (4H pre-activations)
//             i, f, o = σ(p_i, p_f, p_o);  g = tanh(p_g)
//             c = f·c_prev + i·g;  h = o·tanh(c)
//             act[b] = (i, f, g, o) is kept for the backward.
//   backward: dh = dy[b] + dh_rec[b];  tc = tanh(c)
//             dc = dh·o·(1 − tc²) + dc_next;  dp = (dc·g·i(1−i), dc·c_prev·f(1−f),
//             dc·i·(1−g²), dh·tc·o(1−o));  dc_next ← dc·f   (carried to the step before)
// Rows are strided (row b of a (B, T, ·) tensor at time t is at b·row); dc_next is (B, H)
// contiguous and updated in place. Every pointer is required (zeros stand for an absent state);
// outputs do not alias inputs. float uses kernels/exp_approx.h (tanh x = 2σ(2x) − 1);
// double std::exp and std::tanh. The readable reference is torch::nn::LSTM, which the layer's
// tests compare against (tests/model/lstm_layer_test.cpp).
#pragma once

#include <cstdint>

namespace statetrack::kernels {

template <typename T>
struct LstmCellForwardArgs {
    int64_t B = 0, H = 0;
    const T* gx = nullptr;  // (B, 4H), row stride gx_row: x·W_ihᵀ
    int64_t gx_row = 0;
    const T* rec = nullptr;     // (B, 4H) contiguous: h_prev·W_hhᵀ
    const T* bias = nullptr;    // (4H): b_ih + b_hh
    const T* c_prev = nullptr;  // (B, H), row stride c_prev_row
    int64_t c_prev_row = 0;
    T* act = nullptr;  // (B, 4H), row stride act_row
    int64_t act_row = 0;
    T* c = nullptr;  // (B, H), row stride state_row
    T* h = nullptr;  // (B, H), row stride state_row
    int64_t state_row = 0;
};

template <typename T>
struct LstmCellBackwardArgs {
    int64_t B = 0, H = 0;
    const T* act = nullptr;  // (B, 4H), row stride act_row
    T* dp = nullptr;         // (B, 4H), row stride act_row: the pre-activations' gradient
    int64_t act_row = 0;
    const T* c = nullptr;   // (B, H), row stride state_row
    const T* dy = nullptr;  // (B, H), row stride state_row
    int64_t state_row = 0;
    const T* c_prev = nullptr;  // (B, H), row stride c_prev_row
    int64_t c_prev_row = 0;
    const T* dh_rec = nullptr;  // (B, H) contiguous
    T* dc_next = nullptr;       // (B, H) contiguous, read and overwritten
};

template <typename T>
void lstm_cell_forward_cpu(const LstmCellForwardArgs<T>& a);

template <typename T>
void lstm_cell_backward_cpu(const LstmCellBackwardArgs<T>& a);

}  // namespace statetrack::kernels
