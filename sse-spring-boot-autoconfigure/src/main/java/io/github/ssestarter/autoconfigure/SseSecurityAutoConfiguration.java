package io.github.ssestarter.autoconfigure;

import io.github.ssestarter.internal.web.SseConnectionManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.session.SessionDestroyedEvent;

/**
 * Auto-configuration that ends a user's event streams when Spring Security signs them out or
 * their session ends (session-destroyed events need Spring Security's
 * {@code HttpSessionEventPublisher}), so that a signed-out user keeps no stream open. Their
 * browsers' reconnections then meet the application's security like any request.
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass({ LogoutSuccessEvent.class, SessionDestroyedEvent.class })
@ConditionalOnBean(SseConnectionManager.class)
public final class SseSecurityAutoConfiguration {

	@Bean
	ApplicationListener<LogoutSuccessEvent> sseLogoutListener(ObjectProvider<SseConnectionManager> connections) {
		return (event) -> connections.ifAvailable((manager) -> manager.closeConnectionsOf(event.getAuthentication().getName()));
	}

	@Bean
	ApplicationListener<SessionDestroyedEvent> sseSessionDestroyedListener(
			ObjectProvider<SseConnectionManager> connections) {
		return (event) -> connections.ifAvailable((manager) -> {
			for (SecurityContext context : event.getSecurityContexts()) {
				if (context.getAuthentication() != null) {
					manager.closeConnectionsOf(context.getAuthentication().getName());
				}
			}
		});
	}

}
