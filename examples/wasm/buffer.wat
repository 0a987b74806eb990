;; An Extism plugin for the Agones Wasm autoscaler, in WebAssembly text, so it builds offline
;; with nothing but `wat` (agones-lint's tests compile it and compare with buffer.wasm).
;;
;; It behaves like upstream's examples/autoscaler-wasm plugin:
;;   scale      desired = buffer_size (plugin config, default 5) + status.allocatedReplicas;
;;              scale: true only when that differs from status.replicas.
;;   scaleNone  never scales: scale false, replicas = status.replicas.
;; A buffer_size that is not a whole number makes the call fail with the plugin's own message.
;;
;; The input is the FleetAutoscaleReview JSON the controller sends; the plugin reads the few
;; numbers it needs by scanning for their keys (the controller writes compact JSON).
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))

  ;; 0..4095 constants and the output; the input is copied to 4096.. (at most 252 KiB).
  (memory (export "memory") 4)
  (data (i32.const 0) "buffer_size")
  (data (i32.const 16) "\22allocatedReplicas\22:")
  (data (i32.const 48) "\22replicas\22:")
  (data (i32.const 64) "\22uid\22:\22")
  (data (i32.const 80) "{\22response\22:{\22uid\22:\22")
  (data (i32.const 112) "\22,\22scale\22:")
  (data (i32.const 128) ",\22replicas\22:")
  (data (i32.const 144) "}}")
  (data (i32.const 148) "true")
  (data (i32.const 152) "false")
  (data (i32.const 160) "the review has no request.status.allocatedReplicas")
  (data (i32.const 224) "the review has no request.status.replicas")
  (data (i32.const 272) "buffer_size in the plugin config is not a whole number")
  (data (i32.const 336) "the review is larger than this plugin reads")

  (global $in_len (mut i32) (i32.const 0))
  (global $out_len (mut i32) (i32.const 0))
  (global $IN i32 (i32.const 4096))
  (global $OUT i32 (i32.const 1024))

  ;; Copies the input into linear memory; false when it does not fit.
  (func $copy_input (result i32)
    (local $n i64) (local $i i64)
    (local.set $n (call $input_length))
    (if (i64.gt_u (local.get $n) (i64.const 258048)) (then (return (i32.const 0))))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (i32.store8
          (i32.add (global.get $IN) (i32.wrap_i64 (local.get $i)))
          (call $input_load_u8 (local.get $i)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (global.set $in_len (i32.wrap_i64 (local.get $n)))
    (i32.const 1))

  ;; The input offset just after the first occurrence of the pattern, or -1.
  (func $find (param $pat i32) (param $len i32) (result i32)
    (local $i i32) (local $j i32)
    (block $none
      (loop $at
        (br_if $none (i32.gt_s (i32.add (local.get $i) (local.get $len)) (global.get $in_len)))
        (local.set $j (i32.const 0))
        (block $mismatch
          (loop $cmp
            (if (i32.eq (local.get $j) (local.get $len))
              (then (return (i32.add (local.get $i) (local.get $len)))))
            (br_if $mismatch
              (i32.ne
                (i32.load8_u (i32.add (global.get $IN) (i32.add (local.get $i) (local.get $j))))
                (i32.load8_u (i32.add (local.get $pat) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cmp)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $at)))
    (i32.const -1))

  ;; The (possibly negative) integer at an input offset.
  (func $int_at (param $pos i32) (result i32)
    (local $v i32) (local $neg i32) (local $c i32)
    (if (i32.eq (i32.load8_u (i32.add (global.get $IN) (local.get $pos))) (i32.const 45))
      (then
        (local.set $neg (i32.const 1))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))))
    (block $end
      (loop $digit
        (br_if $end (i32.ge_s (local.get $pos) (global.get $in_len)))
        (local.set $c (i32.sub (i32.load8_u (i32.add (global.get $IN) (local.get $pos))) (i32.const 48)))
        (br_if $end (i32.gt_u (local.get $c) (i32.const 9)))
        (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $c)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (br $digit)))
    (select (i32.sub (i32.const 0) (local.get $v)) (local.get $v) (local.get $neg)))

  ;; An Extism memory block holding bytes of linear memory.
  (func $to_extism (param $src i32) (param $len i32) (result i64)
    (local $p i64) (local $i i32)
    (local.set $p (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (call $store_u8
          (i64.add (local.get $p) (i64.extend_i32_u (local.get $i)))
          (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $p))

  (func $fail (param $msg i32) (param $len i32) (result i32)
    (call $error_set (call $to_extism (local.get $msg) (local.get $len)))
    (i32.const 1))

  ;; buffer_size from the plugin config: 5 when absent, -1 when not a whole number.
  (func $buffer_size (result i32)
    (local $p i64) (local $n i64) (local $i i64) (local $v i32) (local $c i32)
    (local.set $p (call $config_get (call $to_extism (i32.const 0) (i32.const 11))))
    (if (i64.eqz (local.get $p)) (then (return (i32.const 5))))
    (local.set $n (call $length (local.get $p)))
    (if (i64.eqz (local.get $n)) (then (return (i32.const -1))))
    (block $end
      (loop $digit
        (br_if $end (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.sub (call $load_u8 (i64.add (local.get $p) (local.get $i))) (i32.const 48)))
        (if (i32.gt_u (local.get $c) (i32.const 9)) (then (return (i32.const -1))))
        (if (i32.gt_u (local.get $v) (i32.const 100000000)) (then (return (i32.const -1))))
        (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10)) (local.get $c)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $digit)))
    (local.get $v))

  (func $emit (param $src i32) (param $len i32)
    (memory.copy
      (i32.add (global.get $OUT) (global.get $out_len))
      (local.get $src)
      (local.get $len))
    (global.set $out_len (i32.add (global.get $out_len) (local.get $len))))

  (func $emit_int (param $v i32)
    (local $digits i32) (local $tmp i32) (local $end i32)
    (if (i32.lt_s (local.get $v) (i32.const 0))
      (then
        (i32.store8 (i32.add (global.get $OUT) (global.get $out_len)) (i32.const 45))
        (global.set $out_len (i32.add (global.get $out_len) (i32.const 1)))
        (local.set $v (i32.sub (i32.const 0) (local.get $v)))))
    (local.set $tmp (local.get $v))
    (loop $count
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (local.set $tmp (i32.div_u (local.get $tmp) (i32.const 10)))
      (br_if $count (i32.ne (local.get $tmp) (i32.const 0))))
    (local.set $end (i32.add (global.get $out_len) (local.get $digits)))
    (loop $write
      (local.set $end (i32.sub (local.get $end) (i32.const 1)))
      (i32.store8
        (i32.add (global.get $OUT) (local.get $end))
        (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $write (i32.gt_u (local.get $end) (global.get $out_len))))
    (global.set $out_len (i32.add (global.get $out_len) (local.get $digits))))

  ;; Writes {"response":{"uid":<the request's uid>,"scale":<scale>,"replicas":<replicas>}}.
  (func $respond (param $scale i32) (param $replicas i32) (result i32)
    (local $p i32) (local $q i32)
    (global.set $out_len (i32.const 0))
    (call $emit (i32.const 80) (i32.const 20))
    (local.set $p (call $find (i32.const 64) (i32.const 7)))
    (if (i32.ge_s (local.get $p) (i32.const 0))
      (then
        (local.set $q (local.get $p))
        (block $end
          (loop $char
            (br_if $end (i32.ge_s (local.get $q) (global.get $in_len)))
            (br_if $end (i32.eq (i32.load8_u (i32.add (global.get $IN) (local.get $q))) (i32.const 34)))
            (br_if $end (i32.ge_s (i32.sub (local.get $q) (local.get $p)) (i32.const 200)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $char)))
        (call $emit (i32.add (global.get $IN) (local.get $p)) (i32.sub (local.get $q) (local.get $p)))))
    (call $emit (i32.const 112) (i32.const 10))
    (if (local.get $scale)
      (then (call $emit (i32.const 148) (i32.const 4)))
      (else (call $emit (i32.const 152) (i32.const 5))))
    (call $emit (i32.const 128) (i32.const 12))
    (call $emit_int (local.get $replicas))
    (call $emit (i32.const 144) (i32.const 2))
    (call $output_set
      (call $to_extism (global.get $OUT) (global.get $out_len))
      (i64.extend_i32_u (global.get $out_len)))
    (i32.const 0))

  (func (export "scale") (result i32)
    (local $p i32) (local $allocated i32) (local $replicas i32) (local $buffer i32)
    (local $desired i32)
    (if (i32.eqz (call $copy_input)) (then (return (call $fail (i32.const 336) (i32.const 43)))))
    (local.set $p (call $find (i32.const 16) (i32.const 20)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (call $fail (i32.const 160) (i32.const 50)))))
    (local.set $allocated (call $int_at (local.get $p)))
    (local.set $p (call $find (i32.const 48) (i32.const 11)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (call $fail (i32.const 224) (i32.const 41)))))
    (local.set $replicas (call $int_at (local.get $p)))
    (local.set $buffer (call $buffer_size))
    (if (i32.lt_s (local.get $buffer) (i32.const 0)) (then (return (call $fail (i32.const 272) (i32.const 54)))))
    (local.set $desired (i32.add (local.get $buffer) (local.get $allocated)))
    (if (i32.ne (local.get $desired) (local.get $replicas))
      (then (return (call $respond (i32.const 1) (local.get $desired)))))
    (call $respond (i32.const 0) (i32.const 0)))

  (func (export "scaleNone") (result i32)
    (local $p i32)
    (if (i32.eqz (call $copy_input)) (then (return (call $fail (i32.const 336) (i32.const 43)))))
    (local.set $p (call $find (i32.const 48) (i32.const 11)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (call $fail (i32.const 224) (i32.const 41)))))
    (call $respond (i32.const 0) (call $int_at (local.get $p))))
)
