module github.com/libajwt/libajwt/bench/ffi/go

go 1.24

require github.com/libajwt/libajwt/bindings/go v0.0.0

replace github.com/libajwt/libajwt/bindings/go => ../../../bindings/go
