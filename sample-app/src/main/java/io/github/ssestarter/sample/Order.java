package io.github.ssestarter.sample;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A placed order, the data of each {@code order} event.
 *
 * @param orderId the order's id
 * @param customer who placed it
 * @param amount how much it is for
 * @param placedAt when it was placed
 */
public record Order(String orderId, String customer, BigDecimal amount, Instant placedAt) {

}
