package io.github.ssestarter.internal.web;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher's lanes: each runs its tasks on one thread in the order given, wakes for work
 * that arrives while it sleeps, survives a failing task, and refuses work once closed.
 */
class DispatcherTests {

	private final Dispatcher dispatcher = new Dispatcher(2, (task) -> {
		Thread thread = new Thread(task, "test-lane");
		thread.setDaemon(true);
		return thread;
	});

	@AfterEach
	void close() {
		this.dispatcher.close();
	}

	@Test
	void runsALanesTasksInOrderOnOneThread() {
		Executor lane = this.dispatcher.lane();
		List<Integer> order = new CopyOnWriteArrayList<>();
		Set<Thread> threads = ConcurrentHashMap.newKeySet();
		for (int i = 0; i < 10_000; i++) {
			int number = i;
			lane.execute(() -> {
				threads.add(Thread.currentThread());
				order.add(number);
			});
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 10_000);
		assertThat(order).containsExactlyElementsOf(IntStream.range(0, 10_000).boxed().toList());
		assertThat(threads).hasSize(1);
	}

	@Test
	void handsOutLanesInTurn() throws InterruptedException {
		Executor first = this.dispatcher.lane();
		Executor second = this.dispatcher.lane();
		assertThat(second).isNotSameAs(first);
		assertThat(this.dispatcher.lane()).isSameAs(first);
		assertThat(threadOf(first)).isNotSameAs(threadOf(second));
	}

	@Test
	void wakesASleepingLaneForEachTask() throws InterruptedException {
		Executor lane = this.dispatcher.lane();
		Thread thread = threadOf(lane);
		for (int i = 0; i < 200; i++) {
			if (i % 20 == 0) {
				// Now and then, from a lane whose thread has parked for want of work.
				await().atMost(Duration.ofSeconds(5)).until(() -> thread.getState() == Thread.State.WAITING);
			}
			CountDownLatch ran = new CountDownLatch(1);
			lane.execute(ran::countDown);
			assertThat(ran.await(5, TimeUnit.SECONDS)).as("task %d ran", i).isTrue();
		}
	}

	@Test
	void goesOnAfterATaskThatThrows() throws InterruptedException {
		Executor lane = this.dispatcher.lane();
		lane.execute(() -> {
			throw new IllegalStateException("Thrown on purpose");
		});
		lane.execute(() -> {
			throw new OutOfMemoryError("Thrown on purpose");
		});
		CountDownLatch ran = new CountDownLatch(1);
		lane.execute(ran::countDown);
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void clearsAnInterruptATaskLeftBehind() throws InterruptedException {
		Executor lane = this.dispatcher.lane();
		lane.execute(() -> Thread.currentThread().interrupt());
		AtomicInteger interrupted = new AtomicInteger(-1);
		CountDownLatch ran = new CountDownLatch(1);
		lane.execute(() -> {
			interrupted.set(Thread.currentThread().isInterrupted() ? 1 : 0);
			ran.countDown();
		});
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted).hasValue(0);
	}

	@Test
	void refusesTasksOnceClosed() {
		Executor lane = this.dispatcher.lane();
		AtomicInteger runs = new AtomicInteger();
		this.dispatcher.close();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> lane.execute(runs::incrementAndGet));
		assertThat(runs).hasValue(0);
	}

	@Test
	void refusesNoLanes() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> new Dispatcher(0, Thread::new))
			.withMessageContaining("at least 1");
	}

	private static Thread threadOf(Executor lane) throws InterruptedException {
		Thread[] thread = new Thread[1];
		CountDownLatch ran = new CountDownLatch(1);
		lane.execute(() -> {
			thread[0] = Thread.currentThread();
			ran.countDown();
		});
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		return thread[0];
	}

}
