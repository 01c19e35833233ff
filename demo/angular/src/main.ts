import { bootstrapApplication } from '@angular/platform-browser';
import { provideZonelessChangeDetection } from '@angular/core';
// Registers <auth-login>, <qlik-dashboard> and <qlik-object>. Angular only needs to be told
// they are custom elements: CUSTOM_ELEMENTS_SCHEMA in the component.
import 'embed-kit/define';
import { AppComponent } from './app.component';

bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] }).catch((error: unknown) => console.error(error));
