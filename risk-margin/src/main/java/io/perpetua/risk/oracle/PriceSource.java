package io.perpetua.risk.oracle;

import java.util.Optional;

/**
 * One oracle source as the aggregator sees it: its latest signed observation, if it has one. Called
 * from the aggregator's thread, so an implementation fed by another thread must publish safely.
 */
@FunctionalInterface
public interface PriceSource
{
    Optional<SignedPrice> latest();
}
