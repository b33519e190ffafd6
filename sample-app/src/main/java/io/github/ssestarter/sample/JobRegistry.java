package io.github.ssestarter.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The jobs started so far, in memory: each one advances by ten percent a step on a shared timer
 * until it is done. Only the most recent jobs are remembered.
 */
@Component
class JobRegistry implements DisposableBean {

	private static final Duration STEP = Duration.ofMillis(250);

	private static final int REMEMBERED = 100;

	private final Map<String, Job> jobs = new LinkedHashMap<>() {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
			return size() > REMEMBERED;
		}

	};

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "sample-jobs");
		thread.setDaemon(true);
		return thread;
	});

	Job start() {
		Job job = new Job(UUID.randomUUID().toString());
		synchronized (this.jobs) {
			this.jobs.put(job.id(), job);
		}
		scheduleStep(job);
		return job;
	}

	private void scheduleStep(Job job) {
		this.timer.schedule(() -> {
			job.advanceTo(job.progress().percent() + 10);
			if (!job.progress().done()) {
				scheduleStep(job);
			}
		}, STEP.toMillis(), TimeUnit.MILLISECONDS);
	}

	Optional<Job> find(String id) {
		synchronized (this.jobs) {
			return Optional.ofNullable(this.jobs.get(id));
		}
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

}
