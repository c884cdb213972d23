#!/usr/bin/perl
# Differential driver for Business::Hours (the module Request Tracker uses).
# stdin:  {"cases":[{"calendar":{"weekly":{"1":{"Start":"09:00","End":"18:00","Breaks":[...]},...},
#                                "holidays":["2026-06-04",...]},
#                    "op":"add","start":<epoch s>,"seconds":<n>}      -> add_seconds(start, n)
#                   {"calendar":...,"op":"between","start":<s>,"end":<s>}  -> between(start, end)
# stdout: {"results":[<number>,...]} in case order. The caller sets TZ to the calendar's zone.
# With "bench":{"iterations":N} it instead times N rounds of the cases and prints ops/s.
use strict;
use warnings;
use Business::Hours;
use JSON::PP;
use Time::HiRes qw(time);

local $/;
my $input = decode_json(<STDIN>);

sub hours_for {
    my ($calendar) = @_;
    my $bh = Business::Hours->new;
    # business_hours() rewrites its argument while preprocessing; hand it a fresh copy every time.
    my %weekly = map {
        my $d = $calendar->{weekly}{$_};
        ($_ => { %$d, Breaks => [ map { {%$_} } @{ $d->{Breaks} || [] } ] })
    } keys %{ $calendar->{weekly} };
    $bh->business_hours(%weekly, holidays => [ @{ $calendar->{holidays} || [] } ]);
    return $bh;
}

sub run_case {
    my ($case) = @_;
    my $bh = hours_for($case->{calendar});
    if ($case->{op} eq 'add') {
        return $bh->add_seconds($case->{start}, $case->{seconds});
    }
    if ($case->{op} eq 'add_chained') {
        # add_seconds gives up after 30 days; chaining is exact because each step returns a business second.
        my $t = $case->{start};
        $t = hours_for($case->{calendar})->add_seconds($t, $_) for @{ $case->{chunks} };
        return $t;
    }
    $bh->for_timespan(Start => $case->{start}, End => $case->{end});
    return $bh->between($case->{start}, $case->{end});
}

if (my $bench = $input->{bench}) {
    my @report;
    for my $case (@{ $input->{cases} }) {
        my $n = $bench->{iterations};
        my $t0 = time;
        run_case($case) for 1 .. $n;
        my $elapsed = time - $t0;
        push @report, { label => $case->{label}, iterations => $n, seconds => $elapsed, opsPerSec => $n / $elapsed };
    }
    print encode_json({ results => \@report });
    exit 0;
}

print encode_json({ results => [ map { run_case($_) + 0 } @{ $input->{cases} } ] });
