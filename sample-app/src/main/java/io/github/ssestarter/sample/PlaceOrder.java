package io.github.ssestarter.sample;

import java.math.BigDecimal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A request to place an order.
 *
 * @param customer who places it
 * @param amount how much it is for, more than zero
 */
public record PlaceOrder(@NotBlank @Size(max = 100) String customer, @NotNull @Positive BigDecimal amount) {

}
