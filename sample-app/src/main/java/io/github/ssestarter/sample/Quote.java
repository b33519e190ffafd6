package io.github.ssestarter.sample;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The price of one symbol at one moment, sent to clients as JSON.
 *
 * @param symbol the ticker symbol
 * @param price the price
 * @param at when the price was quoted
 */
public record Quote(String symbol, BigDecimal price, Instant at) {

}
