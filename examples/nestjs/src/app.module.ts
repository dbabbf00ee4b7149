import { Module } from '@nestjs/common';
import { poolProvider } from './database';
import { ProductsController } from './products.controller';
import { ReportsController } from './reports.controller';

@Module({ controllers: [ProductsController, ReportsController], providers: [poolProvider] })
export class AppModule {}
