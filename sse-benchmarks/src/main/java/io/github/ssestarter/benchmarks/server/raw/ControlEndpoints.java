package io.github.ssestarter.benchmarks.server.raw;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;
import io.github.ssestarter.benchmarks.server.Publisher;

/**
 * The control endpoints of the benchmark contract, answered as {@code ControlController} answers
 * them: the same status codes and the same JSON fields in the same order (a non-finite number as a
 * string, as Jackson writes it), the JSON written by hand.
 */
final class ControlEndpoints {

	private final Publisher publisher;

	private final RawTopic topic;

	ControlEndpoints(Publisher publisher, RawTopic topic) {
		this.publisher = publisher;
		this.topic = topic;
	}

	/**
	 * Answers a request other than {@code GET /stream}.
	 */
	Response handle(HttpRequest request) {
		if (request.is("POST", BenchmarkContract.PUBLISH)) {
			return publish(request);
		}
		if (request.is("POST", BenchmarkContract.STOP)) {
			this.publisher.stop();
			return new Response(200, stats());
		}
		if (request.is("GET", BenchmarkContract.STATS)) {
			return new Response(200, stats());
		}
		if (request.is("GET", BenchmarkContract.RELEASED)) {
			// this server does not record when it released streams
			return new Response(200, "[]");
		}
		if (request.is("POST", BenchmarkContract.GC)) {
			return new Response(200, gc());
		}
		return new Response(404, null);
	}

	private Response publish(HttpRequest request) {
		long count;
		double rate;
		int size;
		try {
			count = Long.parseLong(request.parameter("count", ""));
			rate = Double.parseDouble(request.parameter("rate", "0"));
			size = Integer.parseInt(request.parameter("size", "64"));
		}
		catch (IllegalArgumentException ex) {
			return new Response(400, null);
		}
		try {
			return new Response(this.publisher.start(count, rate, size) ? 202 : 409, stats());
		}
		catch (IllegalArgumentException ex) {
			// as Spring MVC answers an exception the controller does not handle
			return new Response(500, null);
		}
	}

	private String stats() {
		return new StringBuilder(200).append("{\"published\":")
			.append(this.publisher.published())
			.append(",\"lastSequence\":")
			.append(this.publisher.lastSequence())
			.append(",\"subscribers\":")
			.append(this.topic.subscriberCount())
			.append(",\"openConnections\":")
			.append(this.topic.openConnections())
			.append(",\"publishing\":")
			.append(this.publisher.isRunning())
			.append(",\"failures\":")
			.append(this.publisher.failures())
			.append(",\"lastRunSeconds\":")
			.append(number(this.publisher.lastRunSeconds()))
			.append('}')
			.toString();
	}

	private static String gc() {
		System.gc();
		System.gc();
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		return "{\"heapUsed\":" + heap.getUsed() + ",\"heapCommitted\":" + heap.getCommitted() + ",\"directUsed\":"
				+ directUsed() + "}";
	}

	/** The JDK's direct buffers (there is no Netty here). */
	private static long directUsed() {
		return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> pool.getName().equals("direct"))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum();
	}

	private static String number(double value) {
		return Double.isFinite(value) ? Double.toString(value) : "\"" + value + "\"";
	}

	/**
	 * A status code and a JSON body, {@code null} for none.
	 */
	record Response(int status, String json) {

		byte[] bytes(boolean close) {
			return HttpResponses.of(this.status, this.json, close);
		}

	}

}
