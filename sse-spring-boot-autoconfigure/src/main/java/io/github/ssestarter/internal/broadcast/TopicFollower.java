package io.github.ssestarter.internal.broadcast;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.wire.SseFrameEncoder;

/**
 * Keeps topics up to date with a shared log: a topic starts from the log's newest events, then
 * takes what the log delivers for it, in the log's order, and a reset mark where the log lost
 * events before this instance got them.
 */
final class TopicFollower {

	private final SseBackplane log;

	private final SseFrameEncoder encoder;

	private final BroadcastSettings settings;

	private final SseListener listener;

	TopicFollower(SseBackplane log, SseFrameEncoder encoder, BroadcastSettings settings, SseListener listener) {
		this.log = log;
		this.encoder = encoder;
		this.settings = settings;
		this.listener = listener;
	}

	/**
	 * Creates a topic from the log's backlog, as much of it as the topic's ring holds, and follows
	 * the log after it until the topic retires.
	 * @param observations read once the backlog is in, for the topic to observe its deliveries
	 * @throws io.github.ssestarter.SseBackplaneException if the log cannot be reached
	 */
	Topic open(String name, Supplier<BroadcastObservations> observations) {
		int ringCapacity = Math.max(this.settings.replayCapacity(), this.settings.queueCapacity());
		SseBackplane.Backlog backlog = this.log.backlog(name, ringCapacity);
		Topic created = new Topic(name, null, backlog.after(), this.settings, this.listener, observations.get());
		created.appendFromLog(toLogEvents(backlog.events()), false);
		created.attachFollow(this.log.follow(name, backlog.newestId(), new Follower(created)));
		return created;
	}

	private List<Topic.LogEvent> toLogEvents(List<SseBackplaneEvent> events) {
		List<Topic.LogEvent> ready = new ArrayList<>(events.size());
		long nowNanos = System.nanoTime();
		long nowMillis = System.currentTimeMillis();
		for (SseBackplaneEvent event : events) {
			SseItem<String> item = event.toItem().withId(null);
			long ageNanos = Math.max(0, nowMillis - this.log.timeOf(event.id()).toEpochMilli()) * 1_000_000;
			ready.add(new Topic.LogEvent(event.id(), item, this.encoder.encode(item), event.users(), nowNanos - ageNanos,
					event.headers(), event.place()));
		}
		return ready;
	}

	/** Puts what the log delivers for a topic into the topic's ring. */
	private final class Follower implements SseBackplane.Follower {

		private final Topic topic;

		Follower(Topic topic) {
			this.topic = topic;
		}

		@Override
		public void events(List<SseBackplaneEvent> events) {
			this.topic.appendFromLog(toLogEvents(events), true);
		}

		@Override
		public void gap(String lastMissingId) {
			String newest = this.topic.lastId();
			this.topic.appendGap((TopicFollower.this.log.compare(lastMissingId, newest) >= 0) ? lastMissingId : newest);
		}

	}

}
