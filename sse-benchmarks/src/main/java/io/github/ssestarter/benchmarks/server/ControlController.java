package io.github.ssestarter.benchmarks.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

import io.github.ssestarter.benchmarks.protocol.BenchmarkContract;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The control endpoints of the benchmark contract: start and stop the publisher, statistics, and
 * the heap after a full GC.
 */
@RestController
class ControlController {

	private final Publisher publisher;

	private final BenchmarkTopic topic;

	ControlController(Publisher publisher, BenchmarkTopic topic) {
		this.publisher = publisher;
		this.topic = topic;
	}

	@PostMapping(BenchmarkContract.PUBLISH)
	ResponseEntity<Stats> publish(@RequestParam long count, @RequestParam(defaultValue = "0") double rate,
			@RequestParam(defaultValue = "64") int size) {
		boolean started = this.publisher.start(count, rate, size);
		return ResponseEntity.status(started ? HttpStatus.ACCEPTED : HttpStatus.CONFLICT).body(stats());
	}

	@PostMapping(BenchmarkContract.STOP)
	Stats stop() {
		this.publisher.stop();
		return stats();
	}

	@GetMapping(BenchmarkContract.STATS)
	Stats stats() {
		return new Stats(this.publisher.published(), this.publisher.lastSequence(), this.topic.subscriberCount(),
				this.topic.openConnections(), this.publisher.isRunning(), this.publisher.failures(),
				this.publisher.lastRunSeconds());
	}

	@GetMapping(BenchmarkContract.RELEASED)
	long[] released(@RequestParam(defaultValue = "0") long since) {
		return this.topic.releasedSince(since);
	}

	@PostMapping(BenchmarkContract.GC)
	Heap gc() {
		System.gc();
		System.gc();
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		return new Heap(heap.getUsed(), heap.getCommitted(), DirectMemory.used());
	}

	record Stats(long published, long lastSequence, int subscribers, int openConnections, boolean publishing,
			long failures, double lastRunSeconds) {
	}

	record Heap(long heapUsed, long heapCommitted, long directUsed) {
	}

}
