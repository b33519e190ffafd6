package io.github.ssestarter.sample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseSubscription;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orders: placing one publishes an {@code order} event to the {@code orders} topic, which anyone may
 * follow. Clients that reconnect with {@code Last-Event-ID} are replayed what they missed; the
 * recent orders, with the id of the newest, let a page load its table and follow on from there.
 */
@RestController
class OrderController {

	static final String TOPIC = "orders";

	private static final int RECENT = 50;

	private final SseBroadcaster broadcaster;

	/** The most recent orders, oldest first, with the id of the newest. Guarded by itself. */
	private final Deque<Order> recent = new ArrayDeque<>();

	private @Nullable String lastEventId;

	OrderController(SseBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@GetMapping("/api/orders/stream")
	SseSubscription stream() {
		return this.broadcaster.subscribe(TOPIC);
	}

	@PostMapping("/api/orders")
	@ResponseStatus(HttpStatus.ACCEPTED)
	OrderAccepted place(@Valid @RequestBody PlaceOrder request) {
		Order order = new Order(UUID.randomUUID().toString(), request.customer().strip(), request.amount(),
				Instant.now());
		synchronized (this.recent) {
			// Published and remembered together, so that a snapshot's id is exactly where it stands.
			String id = this.broadcaster.publish(TOPIC, SseItem.of("order", order));
			this.recent.addLast(order);
			if (this.recent.size() > RECENT) {
				this.recent.removeFirst();
			}
			this.lastEventId = id;
			return new OrderAccepted(id, order.orderId());
		}
	}

	@GetMapping("/api/orders")
	RecentOrders recent() {
		synchronized (this.recent) {
			return new RecentOrders(this.lastEventId, List.copyOf(this.recent));
		}
	}

	/**
	 * An order placed.
	 *
	 * @param id the id of its {@code order} event
	 * @param orderId the order's id
	 */
	record OrderAccepted(String id, String orderId) {
	}

	/**
	 * The most recent orders; a client that streams {@code ?lastEventId=} this id next receives
	 * every later order exactly once.
	 *
	 * @param lastEventId the id of the newest order's event, {@code null} before the first order
	 * @param orders the orders, oldest first
	 */
	record RecentOrders(@Nullable String lastEventId, List<Order> orders) {
	}

}
