package org.alemcds.audit;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.support.TransactionTemplate;

/** The storage's upkeep, scheduled: the retention purge, and the compaction of an embedded H2 file. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class StorageConfiguration {

    @Bean
    RetentionPurge retentionPurge(JdbcClient jdbc, TransactionTemplate transactions, StorageProperties properties, Clock clock) {
        return new RetentionPurge(jdbc, transactions, properties.retention(), clock);
    }

    @Bean
    H2FileCompaction h2FileCompaction(DataSource dataSource) {
        return new H2FileCompaction(dataSource);
    }

    @Bean
    SchedulingConfigurer storageUpkeep(RetentionPurge purge, H2FileCompaction compaction, StorageProperties properties) {
        return (ScheduledTaskRegistrar tasks) -> {
            tasks.addFixedDelayTask(purge::purge, properties.purgeInterval());
            tasks.addFixedDelayTask(compaction::compact, properties.compactInterval());
        };
    }
}
