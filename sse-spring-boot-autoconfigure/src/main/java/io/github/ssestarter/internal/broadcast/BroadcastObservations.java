package io.github.ssestarter.internal.broadcast;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.github.ssestarter.observation.DefaultSseDeliveryObservationConvention;
import io.github.ssestarter.observation.DefaultSsePublishObservationConvention;
import io.github.ssestarter.observation.SseDeliveryObservationContext;
import io.github.ssestarter.observation.SseDeliveryObservationConvention;
import io.github.ssestarter.observation.SseObservationDocumentation;
import io.github.ssestarter.observation.SsePublishObservationContext;
import io.github.ssestarter.observation.SsePublishObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes publications and deliveries when the registry is not a no-op one. Callers ask
 * {@link #enabled()} first, so that nothing at all is allocated per event without observations.
 */
final class BroadcastObservations {

	/** Observes nothing. */
	static final BroadcastObservations NONE = new BroadcastObservations(ObservationRegistry.NOOP, null, null, "memory");

	private static final DefaultSsePublishObservationConvention DEFAULT_PUBLISH = new DefaultSsePublishObservationConvention();

	private static final DefaultSseDeliveryObservationConvention DEFAULT_DELIVERY = new DefaultSseDeliveryObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable SsePublishObservationConvention publishConvention;

	private final @Nullable SseDeliveryObservationConvention deliveryConvention;

	private final String backplane;

	BroadcastObservations(ObservationRegistry registry, @Nullable SsePublishObservationConvention publishConvention,
			@Nullable SseDeliveryObservationConvention deliveryConvention, String backplane) {
		this.registry = registry;
		this.publishConvention = publishConvention;
		this.deliveryConvention = deliveryConvention;
		this.backplane = backplane;
	}

	/**
	 * The name observations give where topics live: {@code memory}, or the backplane's class name
	 * without {@code SseBackplane}, such as {@code redis} for {@code RedisSseBackplane}.
	 */
	static String backplaneName(@Nullable SseBackplane backplane) {
		if (backplane == null) {
			return "memory";
		}
		String name = backplane.getClass().getSimpleName();
		if (name.endsWith("SseBackplane")) {
			name = name.substring(0, name.length() - "SseBackplane".length());
		}
		return name.isEmpty() ? "custom" : name.toLowerCase(Locale.ROOT);
	}

	BroadcastObservations withRegistry(ObservationRegistry registry) {
		return new BroadcastObservations(registry, this.publishConvention, this.deliveryConvention, this.backplane);
	}

	BroadcastObservations withPublishConvention(@Nullable SsePublishObservationConvention convention) {
		return new BroadcastObservations(this.registry, convention, this.deliveryConvention, this.backplane);
	}

	BroadcastObservations withDeliveryConvention(@Nullable SseDeliveryObservationConvention convention) {
		return new BroadcastObservations(this.registry, this.publishConvention, convention, this.backplane);
	}

	/** Whether anything is observed; asked per call, since handlers may be added to a registry late. */
	boolean enabled() {
		return !this.registry.isNoop();
	}

	/**
	 * Runs a publication in its observation, in scope, giving it the headers the observation's
	 * handlers (a tracer's) put in the carrier when it started.
	 * @param publication publishes the event with those headers and returns its id
	 * @return the event's id
	 */
	String publish(String topic, boolean addressed, Function<Map<String, String>, String> publication) {
		SsePublishObservationContext context = new SsePublishObservationContext(topic, this.backplane, addressed);
		// Started before the publication runs: the carrier holds the handlers' headers by then.
		return SseObservationDocumentation.PUBLISH
			.observation(this.publishConvention, DEFAULT_PUBLISH, () -> context, this.registry)
			.observe(() -> {
				String id = publication.apply(Map.copyOf(context.getCarrier()));
				context.setEventId(id);
				return id;
			});
	}

	/**
	 * Observes a publication that completes later: started, and in scope while the publication is
	 * sent, so that it carries the trace's headers; stopped when it completes.
	 * @param publication sends the event with those headers
	 * @return the event's id, when the publication completes
	 */
	CompletableFuture<String> publishAsync(String topic, boolean addressed,
			Function<Map<String, String>, CompletableFuture<String>> publication) {
		SsePublishObservationContext context = new SsePublishObservationContext(topic, this.backplane, addressed);
		Observation observation = SseObservationDocumentation.PUBLISH
			.observation(this.publishConvention, DEFAULT_PUBLISH, () -> context, this.registry)
			.start();
		CompletableFuture<String> id;
		try (Observation.Scope scope = observation.openScope()) {
			id = publication.apply(Map.copyOf(context.getCarrier()));
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return id.whenComplete((eventId, failure) -> {
			if (failure != null) {
				observation.error((failure instanceof CompletionException) ? failure.getCause() : failure);
			}
			else {
				context.setEventId(eventId);
			}
			observation.stop();
		});
	}

	/**
	 * Starts the observation of an event reaching this instance's subscribers, continuing the
	 * trace its headers carry.
	 * @return the started observation, to be stopped once the subscribers were woken, or
	 * {@code null} if nothing is observed
	 */
	@Nullable Observation startDelivery(String topic, PublishedEvent event, int subscribers) {
		if (!enabled()) {
			return null;
		}
		SseDeliveryObservationContext context = new SseDeliveryObservationContext(topic, event.id(), event.headers(),
				this.backplane, event.users() != null, subscribers);
		return SseObservationDocumentation.DELIVERY
			.observation(this.deliveryConvention, DEFAULT_DELIVERY, () -> context, this.registry)
			.start();
	}

}
