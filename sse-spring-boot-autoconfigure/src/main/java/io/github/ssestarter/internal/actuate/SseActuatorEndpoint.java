package io.github.ssestarter.internal.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.broadcast.TopicSnapshot;
import io.github.ssestarter.internal.web.SseConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code sse} Actuator endpoint: open streams in total and by endpoint, and each topic's
 * subscribers, buffer and counts. Its one write operation ends the connections of a topic's
 * clients, which reconnect and are replayed what they missed, for example to spread clients over
 * new instances after a scale-out; without a topic, it ends every stream of the instance.
 */
@Endpoint(id = "sse")
public class SseActuatorEndpoint {

	private final @Nullable SseConnectionManager connections;

	private final @Nullable DefaultSseBroadcaster broadcaster;

	private final @Nullable ResumableStreams resumableStreams;

	/**
	 * Creates the endpoint.
	 * @param connections the streams, or {@code null} if the application has none
	 * @param broadcaster the topics, or {@code null} if the application's broadcaster is not the
	 * in-memory one
	 * @param resumableStreams the resumable streams, or {@code null} if the application has none
	 */
	public SseActuatorEndpoint(@Nullable SseConnectionManager connections, @Nullable DefaultSseBroadcaster broadcaster,
			@Nullable ResumableStreams resumableStreams) {
		this.connections = connections;
		this.broadcaster = broadcaster;
		this.resumableStreams = resumableStreams;
	}

	/**
	 * Describes the streams and topics now.
	 * @return the description
	 */
	@ReadOperation
	public SseDescriptor sse() {
		Map<String, Integer> byEndpoint = (this.connections != null) ? this.connections.openConnectionsByEndpoint()
				: Map.of();
		Map<String, TopicSnapshot> topics = new LinkedHashMap<>();
		if (this.broadcaster != null) {
			for (String name : this.broadcaster.topicNames()) {
				TopicSnapshot snapshot = this.broadcaster.snapshot(name);
				if (snapshot != null) {
					topics.put(name, snapshot);
				}
			}
		}
		int open = (this.connections != null) ? this.connections.openConnections() : 0;
		Map<String, Object> backplane = (this.broadcaster != null) ? this.broadcaster.backplaneState() : null;
		ResumableDescriptor resumable = (this.resumableStreams != null)
				? new ResumableDescriptor(this.resumableStreams.size(), this.resumableStreams.detachedCount())
				: new ResumableDescriptor(0, 0);
		return new SseDescriptor(open, topics.size(), byEndpoint, topics, resumable,
				(backplane != null) ? backplane : Map.of("type", "memory", "status", "UP"));
	}

	/**
	 * Ends every open event stream of this instance now, topics and resumable streams alike, so
	 * that an operator can drain the instance; clients reconnect and resume.
	 * @return how many connections were ended
	 */
	@DeleteOperation
	public ClosedDescriptor closeAll() {
		int closed = (this.connections != null) ? this.connections.closeAll() : 0;
		return new ClosedDescriptor(null, closed);
	}

	/**
	 * Ends the connections of a topic's clients now.
	 * @param topic the topic's name, in as many path segments as it has ({@code rooms/red} is
	 * {@code DELETE /actuator/sse/rooms/red})
	 * @return how many connections were ended
	 */
	@DeleteOperation
	public ClosedDescriptor closeTopic(@Selector(match = Selector.Match.ALL_REMAINING) String[] topic) {
		String name = String.join("/", topic);
		int closed = (this.broadcaster != null) ? this.broadcaster.closeSubscribers(name) : 0;
		return new ClosedDescriptor(name, closed);
	}

	/**
	 * What the endpoint reads.
	 *
	 * @param openConnections the number of streams open now
	 * @param topicCount the number of topics used so far
	 * @param endpoints open streams by route template
	 * @param topics each topic's state, by name
	 * @param resumableStreams how many resumable streams are kept, and how many of them wait for
	 * their client to come back
	 * @param backplane where topics live ({@code type} {@code memory} or {@code redis}) and its {@code status}
	 */
	public record SseDescriptor(int openConnections, int topicCount, Map<String, Integer> endpoints,
			Map<String, TopicSnapshot> topics, ResumableDescriptor resumableStreams, Map<String, Object> backplane)
			implements OperationResponseBody {
	}

	/**
	 * The resumable streams this instance keeps.
	 *
	 * @param kept the streams kept, with or without a client
	 * @param detached the streams whose client has gone and that wait to be resumed
	 */
	public record ResumableDescriptor(int kept, int detached) {
	}

	/**
	 * What closing a topic's connections did.
	 *
	 * @param topic the topic, or {@code null} when every stream was ended
	 * @param closedConnections the number of connections ended
	 */
	public record ClosedDescriptor(@Nullable String topic, int closedConnections) implements OperationResponseBody {
	}

}
