package io.github.ssestarter;

/**
 * A client's subscription to a broadcaster topic, returned from a controller method to stream
 * the topic's events to the calling client. It is a description until the starter connects it to
 * the request: obtain it from {@link SseBroadcaster#subscribe(String)} and return it; it is
 * connected once, for that request only.
 */
public interface SseSubscription {

	/**
	 * The topic subscribed to.
	 * @return the topic name
	 */
	String topic();

}
