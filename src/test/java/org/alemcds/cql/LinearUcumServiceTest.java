package org.alemcds.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.Pair;
import org.cqframework.cql.cql2elm.ucum.UcumService;
import org.cqframework.cql.ucum.DefaultUcumService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The remembered factors give UCUM's own answers, and only linear conversions are remembered. */
class LinearUcumServiceTest {

    static final DefaultUcumService UCUM = new DefaultUcumService();

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
        "5.3, 10*3/uL, 10*9/L", "1234, /mm3, 10*9/L", "0.75, 10*6/L, 10*9/L", "850, /uL, 10*9/L",
        "12.5, mg/L, mg/dL", "0.09, mmol/L, umol/L", "1.20, m[IU]/mL, [IU]/L", "0.004, [IU]/mL, [IU]/L",
        "-3.5, g/L, g/dL", "0, 10*3/uL, 10*9/L"
    })
    void givesUcumsAnswerForEveryValue(BigDecimal value, String from, String to) {
        var linear = new LinearUcumService();
        linear.convert(BigDecimal.ONE, from, to); // the factor is now remembered
        assertThat(linear.convert(value, from, to)).isEqualByComparingTo(UCUM.convert(value, from, to));
    }

    @Test
    void asksUcumOnceForTheFactorOfALinearPairThenNeverAgain() {
        var calls = new AtomicInteger();
        var linear = new LinearUcumService(counting(calls));
        for (int i = 0; i < 50; i++) {
            linear.convert(BigDecimal.valueOf(i), "/mm3", "10*9/L");
        }
        assertThat(calls).hasValue(3); // 1, 0 and 10: the linearity test
    }

    @Test
    void leavesAConversionWithAnOffsetToUcumEveryTime() {
        var calls = new AtomicInteger();
        var linear = new LinearUcumService(counting(calls));
        assertThatThrownBy(() -> linear.convert(BigDecimal.TEN, "Cel", "K")).isInstanceOf(Exception.class);
        int afterFirst = calls.get();
        assertThatThrownBy(() -> linear.convert(BigDecimal.TEN, "Cel", "K")).isInstanceOf(Exception.class);
        assertThat(calls.get()).isEqualTo(afterFirst + 1);
    }

    @Test
    void remembersABoundedNumberOfUnitPairs() {
        var calls = new AtomicInteger();
        var linear = new LinearUcumService(counting(calls));
        for (int i = 0; i < LinearUcumService.MAX_REMEMBERED_PAIRS + 10; i++) {
            linear.convert(BigDecimal.ONE, "10*" + (i % 30) + "/L", "/L");
            linear.convert(BigDecimal.ONE, i + "/L", "/L"); // a client's unit spellings are unbounded
        }
        int before = calls.get();
        linear.convert(BigDecimal.ONE, "999999/L", "/L");
        linear.convert(BigDecimal.ONE, "999999/L", "/L");
        assertThat(calls.get() - before).isEqualTo(6); // past the bound: the factor is found each time, not kept
        linear.convert(BigDecimal.TEN, "10*3/L", "/L");
        assertThat(calls.get() - before).isEqualTo(6); // an early pair is still remembered
    }

    private static UcumService counting(AtomicInteger calls) {
        return new UcumService() {
            @Override
            public BigDecimal convert(BigDecimal value, String from, String to) {
                calls.incrementAndGet();
                return UCUM.convert(value, from, to);
            }

            @Override
            public String validate(String unit) {
                return UCUM.validate(unit);
            }

            @Override
            public Pair<BigDecimal, String> multiply(Pair<? extends BigDecimal, String> a, Pair<? extends BigDecimal, String> b) {
                return UCUM.multiply(a, b);
            }

            @Override
            public Pair<BigDecimal, String> divideBy(Pair<? extends BigDecimal, String> a, Pair<? extends BigDecimal, String> b) {
                return UCUM.divideBy(a, b);
            }
        };
    }
}
