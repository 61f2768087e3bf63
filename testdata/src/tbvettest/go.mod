module example.com/tbvettest

go 1.26.0

require github.com/tbls-dev/tbls v0.0.0

replace github.com/tbls-dev/tbls => ../../..
