package io.github.ssestarter.internal.actuate;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseStreamOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records what event streams and topics do as Micrometer meters, each registered the first time
 * it has something to show:
 * <ul>
 * <li>{@code sse.connections.active} (gauge): open streams, by {@code endpoint} (the route
 * template) and {@code topic} ({@code none} for streams that deliver no topic);</li>
 * <li>{@code sse.connections} (counter): ended streams, by {@code endpoint} and {@code outcome}
 * ({@code completed}, {@code client-closed}, {@code timeout}, {@code error}, {@code overflow},
 * {@code rejected});</li>
 * <li>{@code sse.events.published}, {@code sse.events.delivered}, {@code sse.events.replayed}
 * (counters) by {@code topic}, and {@code sse.events.dropped} by {@code topic} and
 * {@code reason} ({@code drop-oldest}, {@code overflow});</li>
 * <li>{@code sse.replay} (counter): resumptions with a last event id, by {@code topic} and
 * {@code outcome} ({@code recovered}, {@code reset});</li>
 * <li>{@code sse.delivery.latency} (timer): from publication to the end of the write, by
 * {@code topic};</li>
 * <li>{@code sse.streams.detached}, {@code sse.streams.resumed}, {@code sse.streams.expired}
 * (counters): resumable streams whose client went away, that a client came back to, and that
 * nobody came back to in time, by {@code endpoint}.</li>
 * </ul>
 * Tag values are route templates, topic names and fixed words only, so the number of meters stays
 * bounded by the application's endpoints and topics.
 */
public final class SseMetrics implements SseListener {

	private static final String NO_TOPIC = "none";

	private final MeterRegistry registry;

	private final Map<Tags, ActiveGauge> active = new ConcurrentHashMap<>();

	private final Map<Tags, Counter> connections = new ConcurrentHashMap<>();

	private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();

	private final Map<Tags, Counter> dropped = new ConcurrentHashMap<>();

	private final Map<Tags, Counter> replays = new ConcurrentHashMap<>();

	private final Map<Tags, Counter> resumable = new ConcurrentHashMap<>();

	/**
	 * Creates the meters' recorder.
	 * @param registry where the meters are registered
	 */
	public SseMetrics(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void connectionOpened(String endpoint, @Nullable String topic) {
		this.active.compute(activeTags(endpoint, topic), (tags, gauge) -> {
			ActiveGauge opened = (gauge != null) ? gauge : registerActive(tags);
			opened.count.incrementAndGet();
			opened.retired = false;
			return opened;
		});
	}

	@Override
	public void connectionEnded(String endpoint, @Nullable String topic, SseStreamOutcome outcome) {
		if (outcome != SseStreamOutcome.REJECTED) {
			this.active.computeIfPresent(activeTags(endpoint, topic), (tags, gauge) -> {
				if (gauge.count.decrementAndGet() == 0 && gauge.retired) {
					this.registry.remove(gauge.gauge);
					return null;
				}
				return gauge;
			});
		}
		this.connections
			.computeIfAbsent(Tags.of("endpoint", endpoint, "outcome", outcome.label()),
					(tags) -> Counter.builder("sse.connections")
						.description("Event streams that ended, by how they ended")
						.tags(tags)
						.register(this.registry))
			.increment();
	}

	@Override
	public void eventPublished(String topic) {
		topic(topic).published.increment();
	}

	@Override
	public void eventsDelivered(String topic, int count, long[] latencyNanos) {
		TopicMeters meters = topic(topic);
		meters.delivered.increment(count);
		for (int i = 0; i < count; i++) {
			meters.latency.record(latencyNanos[i], TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void eventsDropped(String topic, String reason, long count) {
		this.dropped
			.computeIfAbsent(Tags.of("topic", topic, "reason", reason),
					(tags) -> Counter.builder("sse.events.dropped")
						.description("Events that did not reach a client because it was too slow")
						.tags(tags)
						.register(this.registry))
			.increment(count);
	}

	@Override
	public void replayed(String topic, String outcome, long replayed) {
		this.replays
			.computeIfAbsent(Tags.of("topic", topic, "outcome", outcome),
					(tags) -> Counter.builder("sse.replay")
						.description("Clients that resumed with a last event id, by whether they could be replayed")
						.tags(tags)
						.register(this.registry))
			.increment();
		if (replayed > 0) {
			topic(topic).replayed.increment(replayed);
		}
	}

	@Override
	public void streamDetached(String endpoint) {
		resumableCounter("sse.streams.detached", "Resumable streams whose client went away", endpoint).increment();
	}

	@Override
	public void streamResumed(String endpoint) {
		resumableCounter("sse.streams.resumed", "Resumable streams a client came back to", endpoint).increment();
	}

	@Override
	public void streamExpired(String endpoint) {
		resumableCounter("sse.streams.expired", "Resumable streams nobody came back to in time, cancelled", endpoint)
			.increment();
	}

	private Counter resumableCounter(String name, String description, String endpoint) {
		return this.resumable.computeIfAbsent(Tags.of("name", name, "endpoint", endpoint),
				(key) -> Counter.builder(name).description(description).tag("endpoint", endpoint).register(this.registry));
	}

	/** Removes the topic's meters, so that short-lived topics do not pile up in the registry. */
	@Override
	public void topicRetired(String topic) {
		TopicMeters meters = this.topics.remove(topic);
		if (meters != null) {
			this.registry.remove(meters.published());
			this.registry.remove(meters.delivered());
			this.registry.remove(meters.replayed());
			this.registry.remove(meters.latency());
		}
		removeTagged(this.dropped, topic);
		removeTagged(this.replays, topic);
		// A retired topic has no subscribers, but a stream's end may be reported after the topic let
		// it go: a gauge still counting one goes when its last stream ends.
		for (Tags tags : this.active.keySet()) {
			if (hasTopic(tags, topic)) {
				this.active.computeIfPresent(tags, (key, gauge) -> {
					if (gauge.count.get() == 0) {
						this.registry.remove(gauge.gauge);
						return null;
					}
					gauge.retired = true;
					return gauge;
				});
			}
		}
	}

	private static boolean hasTopic(Tags tags, String topic) {
		return tags.stream().anyMatch((tag) -> tag.getKey().equals("topic") && tag.getValue().equals(topic));
	}

	private void removeTagged(Map<Tags, Counter> counters, String topic) {
		counters.entrySet().removeIf((entry) -> {
			boolean ofTopic = hasTopic(entry.getKey(), topic);
			if (ofTopic) {
				this.registry.remove(entry.getValue());
			}
			return ofTopic;
		});
	}

	private static Tags activeTags(String endpoint, @Nullable String topic) {
		return Tags.of("endpoint", endpoint, "topic", (topic != null) ? topic : NO_TOPIC);
	}

	private ActiveGauge registerActive(Tags tags) {
		AtomicInteger count = new AtomicInteger();
		Gauge gauge = Gauge.builder("sse.connections.active", count, AtomicInteger::get)
			.description("Event streams open now")
			.tags(tags)
			.register(this.registry);
		return new ActiveGauge(count, gauge);
	}

	private TopicMeters topic(String topic) {
		TopicMeters meters = this.topics.get(topic);
		return (meters != null) ? meters : this.topics.computeIfAbsent(topic, this::register);
	}

	private TopicMeters register(String topic) {
		return new TopicMeters(
				Counter.builder("sse.events.published")
					.description("Events published to the topic")
					.tag("topic", topic)
					.register(this.registry),
				Counter.builder("sse.events.delivered")
					.description("Events written to clients, one per client reached")
					.tag("topic", topic)
					.register(this.registry),
				Counter.builder("sse.events.replayed")
					.description("Events replayed to clients that resumed with a last event id")
					.tag("topic", topic)
					.register(this.registry),
				Timer.builder("sse.delivery.latency")
					.description("Time from an event's publication to the end of its write to a client")
					.tag("topic", topic)
					.register(this.registry));
	}

	/** A gauge of open streams; changed only inside the map's per-key updates. */
	private static final class ActiveGauge {

		final AtomicInteger count;

		final Gauge gauge;

		/** Whether its topic retired while it still counted a stream, so that it goes at zero. */
		boolean retired;

		ActiveGauge(AtomicInteger count, Gauge gauge) {
			this.count = count;
			this.gauge = gauge;
		}

	}

	private record TopicMeters(Counter published, Counter delivered, Counter replayed, Timer latency) {
	}

}
