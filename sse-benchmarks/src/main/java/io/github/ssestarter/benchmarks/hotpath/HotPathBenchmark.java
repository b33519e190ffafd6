package io.github.ssestarter.benchmarks.hotpath;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.SseOverflowPolicy;
import io.github.ssestarter.internal.broadcast.BroadcastSettings;
import io.github.ssestarter.internal.broadcast.DefaultSseBroadcaster;
import io.github.ssestarter.internal.broadcast.SseSink;
import io.github.ssestarter.internal.broadcast.TopicSubscription;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broadcaster's hot path with no network: encoding an event once and handing its frame to
 * every subscriber's sink, each sink counting the bytes it is given and taking everything at once.
 * Each operation publishes events to one topic with {@code subscribers} subscribers; divide the
 * time and, with {@code -prof gc}, the bytes allocated per operation ({@code gc.alloc.rate.norm}) by
 * the deliveries per operation ({@code subscribers}, or 64 times that for a burst) for the cost of
 * one delivery.
 *
 * <ul>
 * <li>{@code publishOne}: one event; each subscriber's writer runs at once on the publishing thread
 * and writes that one frame, as when events come one at a time.</li>
 * <li>{@code publishBurst}: 64 events, then the writers run: each writes the 64 frames in one write,
 * as when a burst outpaces the writers.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBenchmark {

	/** Events in a burst: the most frames a subscriber's writer puts in one write. */
	public static final int BURST = 64;

	@Param({ "1", "100", "1000" })
	public int subscribers;

	@Param({ "100", "1024", "16384" })
	public int eventBytes;

	private DefaultSseBroadcaster broadcaster;

	private SseItem<String> event;

	private final DeferredExecutor writers = new DeferredExecutor();

	private CountingSink[] sinks;

	@Setup(Level.Trial)
	public void subscribe() {
		this.broadcaster = new DefaultSseBroadcaster(new SseFrameEncoder(String::valueOf),
				new BroadcastSettings(1024, Duration.ofMinutes(5), "reset", 256, SseOverflowPolicy.DISCONNECT),
				SseListener.none());
		this.event = SseItem.of("tick", "x".repeat(this.eventBytes));
		this.sinks = new CountingSink[this.subscribers];
		for (int i = 0; i < this.subscribers; i++) {
			this.sinks[i] = new CountingSink(this.writers);
			((TopicSubscription) this.broadcaster.subscribe("bench")).prepare(null, null).accept(this.sinks[i]);
		}
		// The id-only first event each subscriber is given on joining.
		this.writers.runAll();
	}

	@TearDown(Level.Trial)
	public void check() {
		for (CountingSink sink : this.sinks) {
			if (sink.bytes == 0) {
				throw new IllegalStateException("A subscriber was given nothing");
			}
		}
	}

	@Benchmark
	public String publishOne() {
		String id = this.broadcaster.publish("bench", this.event);
		this.writers.runAll();
		return id;
	}

	@Benchmark
	public String publishBurst() {
		String id = null;
		for (int i = 0; i < BURST; i++) {
			id = this.broadcaster.publish("bench", this.event);
		}
		this.writers.runAll();
		return id;
	}

	/** Runs what it is given when asked, on the asking thread: the writers of a benchmark's subscribers. */
	static final class DeferredExecutor implements Executor {

		private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			for (Runnable task = this.tasks.poll(); task != null; task = this.tasks.poll()) {
				task.run();
			}
		}

	}

	/** A client that takes every frame at once and only counts the bytes. */
	static final class CountingSink implements SseSink {

		private final Executor executor;

		long bytes;

		CountingSink(Executor executor) {
			this.executor = executor;
		}

		@Override
		public Result write(List<byte[]> frames) {
			for (int i = 0; i < frames.size(); i++) {
				this.bytes += frames.get(i).length;
			}
			return Result.WRITTEN;
		}

		@Override
		public void onWritable(Runnable callback) {
		}

		@Override
		public void closeForOverflow() {
			throw new IllegalStateException("A subscriber fell behind");
		}

		@Override
		public void close() {
		}

		@Override
		public void onClose(Runnable action) {
		}

		@Override
		public Executor executor() {
			return this.executor;
		}

	}

}
