module github.com/libajwt/libajwt/bindings/go

go 1.24
