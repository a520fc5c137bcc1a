package org.alemcds.cql;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kotlin.Pair;
import org.cqframework.cql.cql2elm.ucum.UcumService;
import org.cqframework.cql.ucum.DefaultUcumService;

/**
 * The engine's UCUM service with each linear conversion's factor remembered: UCUM's own conversion works in decimal
 * strings and costs about a millisecond a call, and the rules convert every count, creatinine and hCG result they read
 * (§2.5 units), several times per call. A conversion is linear when 0 converts to 0 and 10 to ten times what 1 converts
 * to; then {@code convert(v) = v × convert(1)}, exact in {@link BigDecimal}. Anything else (a special unit with an
 * offset, a failure) goes to UCUM every time.
 *
 * <p>Shared by all evaluations; the remembered pairs are bounded, as units come from client records.
 */
final class LinearUcumService implements UcumService {

    static final int MAX_REMEMBERED_PAIRS = 1_000;

    private final UcumService ucum;
    /** "from|to" → the factor, or empty when the conversion is not linear. */
    private final Map<String, Optional<BigDecimal>> factors = new ConcurrentHashMap<>();

    LinearUcumService() {
        this(new DefaultUcumService());
    }

    LinearUcumService(UcumService ucum) {
        this.ucum = ucum;
    }

    @Override
    public BigDecimal convert(BigDecimal value, String sourceUnit, String destUnit) {
        String pair = sourceUnit + '|' + destUnit;
        Optional<BigDecimal> factor = factors.get(pair);
        if (factor == null) {
            factor = linearFactor(sourceUnit, destUnit);
            if (factors.size() < MAX_REMEMBERED_PAIRS) {
                factors.put(pair, factor);
            }
        }
        return factor.isPresent() ? value.multiply(factor.get()) : ucum.convert(value, sourceUnit, destUnit);
    }

    private Optional<BigDecimal> linearFactor(String sourceUnit, String destUnit) {
        try {
            BigDecimal one = ucum.convert(BigDecimal.ONE, sourceUnit, destUnit);
            BigDecimal zero = ucum.convert(BigDecimal.ZERO, sourceUnit, destUnit);
            BigDecimal ten = ucum.convert(BigDecimal.TEN, sourceUnit, destUnit);
            boolean linear = one != null && zero != null && ten != null
                    && zero.signum() == 0 && ten.compareTo(one.multiply(BigDecimal.TEN)) == 0;
            return linear ? Optional.of(one) : Optional.empty();
        } catch (Exception e) { // UcumException is checked, raised through Kotlin
            return Optional.empty(); // UCUM raises it again, for the value asked
        }
    }

    @Override
    public String validate(String unit) {
        return ucum.validate(unit);
    }

    @Override
    public Pair<BigDecimal, String> multiply(Pair<? extends BigDecimal, String> left,
            Pair<? extends BigDecimal, String> right) {
        return ucum.multiply(left, right);
    }

    @Override
    public Pair<BigDecimal, String> divideBy(Pair<? extends BigDecimal, String> left,
            Pair<? extends BigDecimal, String> right) {
        return ucum.divideBy(left, right);
    }
}
