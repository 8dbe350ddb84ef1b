package io.github.sfnfail.camel.springboot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.sfnfail.camel.OptionChecks;
import io.github.sfnfail.camel.SfnSharedOptionsComponent;
import io.github.sfnfail.camel.SfnTaskComponent;
import io.github.sfnfail.camel.activity.SfnActivityComponent;
import io.github.sfnfail.camel.fail.SfnFailComponent;
import io.github.sfnfail.camel.heartbeat.SfnHeartbeatComponent;
import io.github.sfnfail.camel.success.SfnSuccessComponent;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds {@code camel.component.aws-sfn.*} (the options all schemes share), {@code camel.component.aws-sfn-fail.*},
 * {@code camel.component.aws-sfn-success.*}, {@code camel.component.aws-sfn-heartbeat.*} and
 * {@code camel.component.aws-sfn-activity.*} Spring Boot properties to their components, which camel-spring-boot
 * otherwise ignores for components without a starter of their own. Options are named as in camel-main
 * ({@code region}, {@code retry-mode}, {@code access-key}...); an unknown name fails the creation of the component
 * (at start-up for the routes that use it) with "Unknown option" and the closest option's name, instead of being
 * silently ignored. {@code enabled} and {@code customizer.*} are left to camel-spring-boot.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@ConditionalOnClass({ CamelAutoConfiguration.class, SfnTaskComponent.class })
public class SfnComponentsAutoConfiguration {

    static final String PREFIX = "camel.component.";

    @Bean
    @ConditionalOnMissingBean(name = "awsSfnSharedOptionsComponentCustomizer")
    public ComponentCustomizer awsSfnSharedOptionsComponentCustomizer(Environment environment) {
        return ComponentCustomizer.forType(SfnSharedOptionsComponent.class,
                component -> bind(environment, SfnSharedOptionsComponent.SCHEME, component));
    }

    @Bean
    @ConditionalOnMissingBean(name = "awsSfnFailComponentCustomizer")
    public ComponentCustomizer awsSfnFailComponentCustomizer(Environment environment) {
        return ComponentCustomizer.forType(SfnFailComponent.class, component -> bind(environment, "aws-sfn-fail", component));
    }

    @Bean
    @ConditionalOnMissingBean(name = "awsSfnSuccessComponentCustomizer")
    public ComponentCustomizer awsSfnSuccessComponentCustomizer(Environment environment) {
        return ComponentCustomizer.forType(SfnSuccessComponent.class,
                component -> bind(environment, "aws-sfn-success", component));
    }

    @Bean
    @ConditionalOnMissingBean(name = "awsSfnHeartbeatComponentCustomizer")
    public ComponentCustomizer awsSfnHeartbeatComponentCustomizer(Environment environment) {
        return ComponentCustomizer.forType(SfnHeartbeatComponent.class,
                component -> bind(environment, "aws-sfn-heartbeat", component));
    }

    @Bean
    @ConditionalOnMissingBean(name = "awsSfnActivityComponentCustomizer")
    public ComponentCustomizer awsSfnActivityComponentCustomizer(Environment environment) {
        return ComponentCustomizer.forType(SfnActivityComponent.class,
                component -> bind(environment, "aws-sfn-activity", component));
    }

    private static void bind(Environment environment, String scheme, Component component) {
        Map<String, Object> options = new HashMap<>();
        Binder.get(environment).bind(PREFIX + scheme, Bindable.mapOf(String.class, String.class)).ifBound(bound -> bound
                .forEach((name, value) -> {
                    if (!name.equals("enabled") && !name.startsWith("customizer")) {
                        options.put(StringHelper.dashToCamelCase(name), value);
                    }
                }));
        if (options.isEmpty()) {
            return;
        }
        PropertyConfigurer configurer = component.getComponentPropertyConfigurer();
        if (configurer instanceof PropertyConfigurerGetter getter) {
            for (String option : options.keySet()) {
                if (getter.getOptionType(option, true) == null) {
                    List<String> known = component instanceof SfnTaskComponent task
                            ? OptionChecks.options(task.getConfiguration().getClass())
                            : SfnSharedOptionsComponent.OPTIONS;
                    throw new IllegalArgumentException(OptionChecks.unknown(PREFIX + scheme + ".",
                            StringHelper.camelCaseToDash(option), known));
                }
            }
        }
        PropertyBindingSupport.build().withMandatory(true).withIgnoreCase(true).withConfigurer(configurer)
                .bind(component.getCamelContext(), component, options);
    }
}
