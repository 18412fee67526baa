;; GELU (tanh approximation) and its gradient in WASM SIMD, four f32 lanes at a time. The JavaScript
;; kernels (../elementwise.ts: gelu, geluGrad, with Math.tanh in f64) are the reference.
;; Assembled by tools/buildWasm.ts into geluWasm.ts.
;;
;; With u = c·(x + a·x³) and s = 0.5·(1 + tanh u) = 1 / (1 + e^(−2u)):
;;   gelu(x) = x·s,   gelu'(x) = s + 2x·s·(1 − s)·c·(1 + 3a·x²).
;; The sigmoid form never subtracts nearly equal numbers (1 + tanh u does, for u ≪ 0), so the result
;; keeps its relative accuracy where gelu(x) is tiny. e^v is Cephes' expf: v = n·ln2 + r with n an
;; integer, a degree-6 polynomial for e^r on |r| ≤ ln2/2, 2^n put straight into the exponent bits;
;; about 1 ulp of f32. v is clamped to [−87.3, 89]: at the bottom 2^n stays a normal f32; at the top
;; n reaches 128, whose bit pattern is +∞, so e^v overflows to +∞ (and s to 0) as it should, where a
;; clamp to a finite e^v would leave s ≈ 1e-39 and make gelu(−3e38) = −1.5.
;;
;; Pointers are byte offsets into the exported memory, 16-byte aligned; n is rounded up to a multiple
;; of 4 by the caller (the lanes past n compute garbage that nobody reads).
(module
  (memory (export "memory") 1)

  (func $exp (param $v v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $v (f32x4.min (f32x4.max (local.get $v) (f32x4.splat (f32.const -87.3))) (f32x4.splat (f32.const 89))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $v) (f32x4.splat (f32.const 1.44269504088896341)))))
    ;; r = v − n·ln2, with ln2 split in two so that n·C1 is exact
    (local.set $r (f32x4.sub (local.get $v) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375)))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    ;; e^r ≈ p·r² + r + 1
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
                             (f32x4.splat (f32.const 1))))
    ;; × 2^n: (n + 127) << 23 is the bit pattern of 2^n
    (f32x4.mul (local.get $p)
               (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23))))

  ;; s = 0.5·(1 + tanh u) = 1 / (1 + e^(−2u)),  u = c·(x + a·x³)
  (func $halfOnePlusTanh (param $x v128) (result v128)
    (local $u v128)
    (local.set $u (f32x4.mul (f32x4.splat (f32.const 0.7978845608028654))
                             (f32x4.add (local.get $x)
                                        (f32x4.mul (f32x4.splat (f32.const 0.044715))
                                                   (f32x4.mul (local.get $x) (f32x4.mul (local.get $x) (local.get $x)))))))
    (f32x4.div (f32x4.splat (f32.const 1))
               (f32x4.add (f32x4.splat (f32.const 1)) (call $exp (f32x4.mul (local.get $u) (f32x4.splat (f32.const -2)))))))

  ;; x·s, except gelu(−∞) = −∞·0 = NaN as in the reference
  (func (export "gelu") (param $x i32) (param $out i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $out)
          (v128.bitselect (f32x4.splat (f32.const nan))
                          (f32x4.mul (local.get $v) (call $halfOnePlusTanh (local.get $v)))
                          (f32x4.eq (local.get $v) (f32x4.splat (f32.const -inf)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $lanes))))

  ;; dy · (s + 2x·s·(1 − s)·c·(1 + 3a·x²))
  (func (export "geluGrad") (param $x i32) (param $dy i32) (param $out i32) (param $n i32)
    (local $end i32) (local $v v128) (local $s v128) (local $du v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $s (call $halfOnePlusTanh (local.get $v)))
        ;; du = c·(1 + 3a·x²)
        (local.set $du (f32x4.mul (f32x4.splat (f32.const 0.7978845608028654))
                                  (f32x4.add (f32x4.splat (f32.const 1))
                                             (f32x4.mul (f32x4.splat (f32.const 0.134145)) (f32x4.mul (local.get $v) (local.get $v))))))
        (v128.store (local.get $out)
          (f32x4.mul (v128.load (local.get $dy))
                     (f32x4.add (local.get $s)
                                (f32x4.mul (f32x4.mul (f32x4.splat (f32.const 2)) (local.get $v))
                                           (f32x4.mul (f32x4.mul (local.get $s) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $s)))
                                                      (local.get $du))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $lanes))))
)
