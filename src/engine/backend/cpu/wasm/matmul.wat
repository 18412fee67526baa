;; Batched f32 matmul in WASM SIMD: out[b] = op(A[b]) · op(B[b]) (see MatmulParams in src/engine/backend.ts).
;; Assembled by tools/buildWasm.ts into kernelsWasm.ts; the JavaScript kernel (../matmul.ts) is the reference.
;;
;; All pointers are byte offsets into the exported memory; all strides are in elements.
;; A(i, kk) is at a + i*aRow + kk*aCol, so either stored layout of A is read in place (one scalar load,
;; splatted, per row and k). The micro-kernel reads 8 consecutive columns of a B row as two v128 loads,
;; so B is read in place when its rows are contiguous and n is a multiple of 8, and otherwise first
;; packed into a k × nPad panel (nPad = n rounded up to 8, zero padded; a transposed B is transposed).
;;
;; Register blocking: a 4×8 tile of the output lives in 8 f32x4 accumulators across the whole k loop
;; (8 accumulators + 2 B vectors + 1 splat = 11 of the 16 SIMD registers of x64/arm64 hosts), so each
;; B vector load feeds 4 multiply-adds and each A load feeds 2. Products are summed in f32 in k order
;; (mul then add, no fused multiply-add, so every host gives the same bits).
(module
  (memory (export "memory") 1)

  ;; Packs B(kk, j) = mem[b + kk*bRow + j*bCol] into dst as k rows of nPad floats, zero beyond n.
  (func $packB (param $b i32) (param $bRow i32) (param $bCol i32) (param $k i32) (param $n i32)
               (param $nPad i32) (param $dst i32)
    (local $kk i32) (local $j i32) (local $src i32) (local $d i32) (local $colBytes i32)
    (local.set $colBytes (i32.shl (local.get $bCol) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $kk) (local.get $k)))
        (local.set $src (i32.add (local.get $b) (i32.shl (i32.mul (local.get $kk) (local.get $bRow)) (i32.const 2))))
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $kk) (local.get $nPad)) (i32.const 2))))
        (if (i32.eq (local.get $bCol) (i32.const 1))
          (then (memory.copy (local.get $d) (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
          (else
            (local.set $j (i32.const 0))
            (block $rowDone
              (loop $cols
                (br_if $rowDone (i32.ge_u (local.get $j) (local.get $n)))
                (f32.store (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2)))
                           (f32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $colBytes)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $cols)))))
        ;; zero padding
        (memory.fill (i32.add (local.get $d) (i32.shl (local.get $n) (i32.const 2)))
                     (i32.const 0)
                     (i32.shl (i32.sub (local.get $nPad) (local.get $n)) (i32.const 2)))
        (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
        (br $rows))))

  ;; Stores `rows` rows of an 8-wide tile held at $tile (row stride 32 bytes) into out (row stride n
  ;; elements), keeping only the `cols` (< 8) valid columns: the right edge of a matrix whose n is not
  ;; a multiple of 8.
  (func $storeEdge (param $tile i32) (param $rows i32) (param $cols i32) (param $out i32) (param $n i32)
    (local $r i32) (local $c i32) (local $o i32)
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
        (local.set $c (i32.const 0))
        (block $rowDone
          (loop $colLoop
            (br_if $rowDone (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2)))
                       (f32.load (i32.add (i32.add (local.get $tile) (i32.shl (local.get $r) (i32.const 5)))
                                          (i32.shl (local.get $c) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $colLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; One matrix: rows [i0, i1) of out = op(A) · B, out row stride n, B rows of at least nPad floats
  ;; (zero beyond n) $ldb floats apart. $tile is 128 bytes of scratch.
  (func $gemm (param $a i32) (param $aRow i32) (param $aCol i32) (param $bp i32) (param $out i32)
              (param $i0 i32) (param $i1 i32) (param $n i32) (param $k i32) (param $ldb i32) (param $tile i32)
    (local $i i32) (local $jb i32) (local $kk i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32)
    (local $aStep i32) (local $aRowBytes i32) (local $bStep i32) (local $o i32) (local $dst i32) (local $ldo i32)
    (local $av v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $aStep (i32.shl (local.get $aCol) (i32.const 2)))
    (local.set $aRowBytes (i32.shl (local.get $aRow) (i32.const 2)))
    (local.set $bStep (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $i (local.get $i0))
    ;; ---- 4 rows at a time ----
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $i1)))
        (local.set $jb (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $jb) (local.get $n)))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRowBytes))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $aRowBytes)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $aRowBytes)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $aRowBytes)))
            (local.set $pb (i32.add (local.get $bp) (i32.shl (local.get $jb) (i32.const 2))))
            (local.set $kk (local.get $k))
            (block $kDone
              (loop $kLoop
                (br_if $kDone (i32.eqz (local.get $kk)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $av (f32x4.splat (f32.load (local.get $pa0))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $av (f32x4.splat (f32.load (local.get $pa1))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $av (f32x4.splat (f32.load (local.get $pa2))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $av (f32x4.splat (f32.load (local.get $pa3))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $pa0 (i32.add (local.get $pa0) (local.get $aStep)))
                (local.set $pa1 (i32.add (local.get $pa1) (local.get $aStep)))
                (local.set $pa2 (i32.add (local.get $pa2) (local.get $aStep)))
                (local.set $pa3 (i32.add (local.get $pa3) (local.get $aStep)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bStep)))
                (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
                (br $kLoop)))
            ;; a full tile goes straight to out; the right edge goes through $tile
            (if (i32.le_u (i32.add (local.get $jb) (i32.const 8)) (local.get $n))
              (then
                (local.set $dst (i32.add (local.get $out)
                                         (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $jb)) (i32.const 2))))
                (local.set $ldo (local.get $n)))
              (else
                (local.set $dst (local.get $tile))
                (local.set $ldo (i32.const 8))))
            (local.set $o (i32.shl (local.get $ldo) (i32.const 2)))
            (v128.store (local.get $dst) (local.get $c00))
            (v128.store offset=16 (local.get $dst) (local.get $c01))
            (local.set $dst (i32.add (local.get $dst) (local.get $o)))
            (v128.store (local.get $dst) (local.get $c10))
            (v128.store offset=16 (local.get $dst) (local.get $c11))
            (local.set $dst (i32.add (local.get $dst) (local.get $o)))
            (v128.store (local.get $dst) (local.get $c20))
            (v128.store offset=16 (local.get $dst) (local.get $c21))
            (local.set $dst (i32.add (local.get $dst) (local.get $o)))
            (v128.store (local.get $dst) (local.get $c30))
            (v128.store offset=16 (local.get $dst) (local.get $c31))
            (if (i32.gt_u (i32.add (local.get $jb) (i32.const 8)) (local.get $n))
              (then
                (call $storeEdge (local.get $tile) (i32.const 4) (i32.sub (local.get $n) (local.get $jb))
                  (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $jb)) (i32.const 2)))
                  (local.get $n))))
            (local.set $jb (i32.add (local.get $jb) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quads)))
    ;; ---- the 0–3 rows left, one at a time ----
    (block $singlesDone
      (loop $singles
        (br_if $singlesDone (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $jb (i32.const 0))
        (block $colsDone1
          (loop $cols1
            (br_if $colsDone1 (i32.ge_u (local.get $jb) (local.get $n)))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRowBytes))))
            (local.set $pb (i32.add (local.get $bp) (i32.shl (local.get $jb) (i32.const 2))))
            (local.set $kk (local.get $k))
            (block $kDone1
              (loop $kLoop1
                (br_if $kDone1 (i32.eqz (local.get $kk)))
                (local.set $av (f32x4.splat (f32.load (local.get $pa0))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (v128.load (local.get $pb)))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (v128.load offset=16 (local.get $pb)))))
                (local.set $pa0 (i32.add (local.get $pa0) (local.get $aStep)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bStep)))
                (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
                (br $kLoop1)))
            (local.set $dst (i32.add (local.get $out)
                                     (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $jb)) (i32.const 2))))
            (if (i32.le_u (i32.add (local.get $jb) (i32.const 8)) (local.get $n))
              (then
                (v128.store (local.get $dst) (local.get $c00))
                (v128.store offset=16 (local.get $dst) (local.get $c01)))
              (else
                (v128.store (local.get $tile) (local.get $c00))
                (v128.store offset=16 (local.get $tile) (local.get $c01))
                (call $storeEdge (local.get $tile) (i32.const 1) (i32.sub (local.get $n) (local.get $jb)) (local.get $dst) (local.get $n))))
            (local.set $jb (i32.add (local.get $jb) (i32.const 8)))
            (br $cols1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $singles))))

  ;; The whole batched product for output rows [i0, i1) of every batch entry (a thread computes a
  ;; row range; one thread passes [0, m)). B is packed into $scratch once per distinct B matrix
  ;; (bBatch = 0 broadcasts one B over the batch). $scratch needs k*nPad*4 + 128 bytes.
  (func (export "matmul")
        (param $a i32) (param $aBatch i32) (param $aRow i32) (param $aCol i32)
        (param $b i32) (param $bBatch i32) (param $bRow i32) (param $bCol i32)
        (param $out i32) (param $batch i32) (param $m i32) (param $n i32) (param $k i32)
        (param $i0 i32) (param $i1 i32) (param $scratch i32)
    (local $bi i32) (local $nPad i32) (local $tile i32) (local $inPlace i32) (local $bMat i32) (local $bp i32) (local $ldb i32)
    (local.set $nPad (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8)))
    (local.set $tile (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $k) (local.get $nPad)) (i32.const 2))))
    (local.set $inPlace (i32.and (i32.eq (local.get $bCol) (i32.const 1)) (i32.eq (local.get $n) (local.get $nPad))))
    (local.set $bp (local.get $scratch))
    (local.set $ldb (select (local.get $bRow) (local.get $nPad) (local.get $inPlace)))
    (block $done
      (loop $batches
        (br_if $done (i32.ge_u (local.get $bi) (local.get $batch)))
        (local.set $bMat (i32.add (local.get $b) (i32.shl (i32.mul (local.get $bi) (local.get $bBatch)) (i32.const 2))))
        (if (local.get $inPlace)
          (then (local.set $bp (local.get $bMat)))
          (else
            (if (i32.or (i32.eqz (local.get $bi)) (i32.ne (local.get $bBatch) (i32.const 0)))
              (then
                (call $packB (local.get $bMat) (local.get $bRow) (local.get $bCol) (local.get $k) (local.get $n)
                             (local.get $nPad) (local.get $scratch))))))
        (call $gemm (i32.add (local.get $a) (i32.shl (i32.mul (local.get $bi) (local.get $aBatch)) (i32.const 2)))
                    (local.get $aRow) (local.get $aCol) (local.get $bp)
                    (i32.add (local.get $out) (i32.shl (i32.mul (local.get $bi) (i32.mul (local.get $m) (local.get $n))) (i32.const 2)))
                    (local.get $i0) (local.get $i1) (local.get $n) (local.get $k) (local.get $ldb) (local.get $tile))
        (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
        (br $batches))))
)
