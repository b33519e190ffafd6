package io.github.ssestarter.sample;

import java.net.URI;
import java.util.stream.Stream;

import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Jobs: starting one answers at once with its id; its progress is a finite stream of
 * {@code progress} events that ends when the job is done. The progress stream is resumable: a
 * client that reconnects with its last event id within two minutes continues where it left off,
 * and one that already has the last event gets {@code 204}.
 */
@RestController
class JobController {

	private final JobRegistry jobs;

	JobController(JobRegistry jobs) {
		this.jobs = jobs;
	}

	@PostMapping("/api/jobs")
	ResponseEntity<JobStarted> start() {
		Job job = this.jobs.start();
		return ResponseEntity.accepted()
			.location(URI.create("/api/jobs/" + job.id() + "/progress"))
			.body(new JobStarted(job.id()));
	}

	@GetMapping("/api/jobs/{jobId}/progress")
	@SseEndpoint(resumeWindow = "2m")
	Stream<SseItem<Progress>> progress(@PathVariable String jobId) {
		// Thrown before a stream exists, so the client gets a plain 404 rather than an empty stream.
		Job job = this.jobs.find(jobId)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No job '" + jobId + "'"));
		return job.follow().map((progress) -> SseItem.of("progress", progress));
	}

	/**
	 * A job started.
	 *
	 * @param jobId the job's id
	 */
	record JobStarted(String jobId) {
	}

}
