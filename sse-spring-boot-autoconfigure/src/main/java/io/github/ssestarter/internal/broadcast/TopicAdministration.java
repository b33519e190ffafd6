package io.github.ssestarter.internal.broadcast;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What can be seen and done of the broadcaster's topics from outside, as the Actuator endpoint
 * does: their names, counts and snapshots, and ending a topic's connections. A topic nobody has
 * used reads as empty, and is not created for it.
 */
final class TopicAdministration {

	private final TopicRegistry topics;

	TopicAdministration(TopicRegistry topics) {
		this.topics = topics;
	}

	List<String> topicNames() {
		return this.topics.names();
	}

	int subscriberCount(String name) {
		Topic topic = this.topics.find(name);
		return (topic != null) ? topic.subscriberCount() : 0;
	}

	int bufferedEventCount(String name) {
		Topic topic = this.topics.find(name);
		return (topic != null) ? topic.bufferedEventCount() : 0;
	}

	@Nullable TopicSnapshot snapshot(String name) {
		Topic topic = this.topics.find(name);
		return (topic != null) ? topic.snapshot() : null;
	}

	/** Ends the connection of every client subscribed to the topic now, normally. */
	int closeSubscribers(String name) {
		Topic topic = this.topics.find(name);
		return (topic != null) ? topic.closeSubscribers() : 0;
	}

}
