package io.github.ssestarter.benchmarks.runner;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultTableTest {

	@Test
	void addsRatioColumnPerBaselineWhenTheStarterIsMeasured() {
		ResultTable table = new ResultTable("Fan-out", List.of("emitter", "flux", Servers.OURS));
		table.put("emitter", "deliveries/s", 1000);
		table.put("flux", "deliveries/s", 4000);
		table.put(Servers.OURS, "deliveries/s", 2000);
		table.put("emitter", "p99 (ms)", 12.5);
		assertThat(table.toMarkdown()).contains("| metric | emitter | flux | starter | starter / emitter | starter / flux |")
			.contains("| deliveries/s | 1,000 | 4,000 | 2,000 | 2.00 | 0.50 |")
			.contains("| p99 (ms) | 12.50 | - | - | - | - |");
	}

	@Test
	void hasNoRatioColumnsWithoutTheStarter() {
		ResultTable table = new ResultTable("Capacity", List.of("emitter", "flux"));
		table.put("emitter", "streams", 19_000);
		table.note("flux failed");
		assertThat(table.toMarkdown()).contains("| metric | emitter | flux |\n|---|---:|---:|\n| streams | 19,000 | - |")
			.contains("- flux failed");
	}

}
