package io.github.ssestarter.internal.web;

import java.time.Duration;

import io.github.ssestarter.SseItem;
import org.jspecify.annotations.Nullable;

import org.springframework.http.codec.ServerSentEvent;

/**
 * Turns what a controller's stream yields into items: an {@link SseItem} as it is, Spring's own
 * {@link ServerSentEvent} field by field, anything else as the data of an item; items that name no
 * event type get the endpoint's.
 */
public final class SseElements {

	private SseElements() {
	}

	static SseItem<?> toItem(Object element, @Nullable String defaultEventType) {
		SseItem<?> item;
		if (element instanceof SseItem<?> sseItem) {
			item = sseItem;
		}
		else if (element instanceof ServerSentEvent<?> event) {
			item = fromServerSentEvent(event);
		}
		else {
			item = SseItem.of(element);
		}
		if (item.eventType() == null && defaultEventType != null) {
			item = item.withEventType(defaultEventType);
		}
		return item;
	}

	private static SseItem<?> fromServerSentEvent(ServerSentEvent<?> event) {
		Duration retry = event.retry();
		return SseItem.empty().withData(event.data()).withEventType(event.event()).withId(event.id())
			.withRetry(retry).withComment(event.comment());
	}

}
