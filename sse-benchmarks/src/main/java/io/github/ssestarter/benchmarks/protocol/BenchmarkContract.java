package io.github.ssestarter.benchmarks.protocol;

/**
 * The HTTP contract that every server under test implements, so that the runner and the load
 * generator can drive any of them the same way.
 *
 * <ul>
 * <li>{@code GET /stream}: subscribe to the single topic as {@code text/event-stream}. Every event
 * has the type {@value #EVENT_TYPE}, an id that increases with each published event (a number, or
 * {@code <a>-<b>} pairs such as {@code <epoch>-<seq>} or Redis stream ids, not necessarily
 * contiguous), and data as written by {@link EventPayload}: publish time and the publisher's
 * contiguous sequence number, by which the load generator checks loss, duplicates and order. A
 * server that can replay honours {@code Last-Event-ID}; one that cannot ignores it.</li>
 * <li>{@code POST /publish?count=N&rate=R&size=B}: the server publishes {@code N} events from a
 * thread of its own, {@code R} per second ({@code 0}: as fast as it can), with data of about
 * {@code B} bytes. Answers 202, or 409 while a previous run is still going.</li>
 * <li>{@code POST /publish/stop}: asks the running publisher to stop after the current event.</li>
 * <li>{@code GET /stats}: JSON {@code published}, {@code lastSequence}, {@code subscribers},
 * {@code openConnections} (event streams the server still holds open, subscribed or not),
 * {@code publishing}, {@code failures}, {@code lastRunSeconds} (how long the last finished
 * publisher run took).</li>
 * <li>{@code GET /stats/released?since=M}: JSON array of the epoch microseconds at which the
 * server released an event stream (ended it, e.g. on noticing the client left), from {@code M} on;
 * empty for a server that does not record them.</li>
 * <li>{@code POST /gc}: runs a full garbage collection and answers JSON {@code heapUsed} and
 * {@code heapCommitted} in bytes, measured after it.</li>
 * </ul>
 */
public final class BenchmarkContract {

	/** Path of the event stream. */
	public static final String STREAM = "/stream";

	/** Path that starts the server-side publisher. */
	public static final String PUBLISH = "/publish";

	/** Path that stops the server-side publisher. */
	public static final String STOP = "/publish/stop";

	/** Path of the JSON statistics. */
	public static final String STATS = "/stats";

	/**
	 * Path of the times (epoch microseconds, JSON array) at which the server released event
	 * streams since {@code ?since=<epoch micros>}, for servers that record them (empty otherwise).
	 */
	public static final String RELEASED = "/stats/released";

	/** Path that runs a full GC and reports the heap after it. */
	public static final String GC = "/gc";

	/** The event type of every benchmark event. */
	public static final String EVENT_TYPE = "tick";

	private BenchmarkContract() {
	}

}
